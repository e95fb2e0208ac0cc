import { runQuickstart } from './quickstart';

for (const line of await runQuickstart()) console.log(line);
