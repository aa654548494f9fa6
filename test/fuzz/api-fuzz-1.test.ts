// The API fuzz run (test/fuzz/api-fuzz.ts), shard 1 of 2: every other operation.
import { fuzzShard } from './api-fuzz.ts';

fuzzShard(0, 2);
