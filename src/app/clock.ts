/** The only source of "now" outside tests: injected everywhere so timelines are exact under test. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
