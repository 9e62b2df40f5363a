/** The one slash command (PRODUCT.md section 2). Help, usage and every hint name it through this constant. */
export const COMMAND = '/paykore-incident';
