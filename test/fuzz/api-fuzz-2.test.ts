// The API fuzz run (test/fuzz/api-fuzz.ts), shard 2 of 2: every other operation.
import { fuzzShard } from './api-fuzz.ts';

fuzzShard(1, 2);
