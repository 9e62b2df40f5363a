import { measureRecording } from './scenarios/recording';

console.log(JSON.stringify(await measureRecording({ actions: 10000, writers: 100, perActionActions: 300 })));
