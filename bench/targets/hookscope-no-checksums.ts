// Hookscope `serve` with record checksums neither computed nor verified: the baseline that
// bench/checksum.bench.ts compares real ingest with. Never for real data.
import { disableChecksumsForBenchmark } from '../../server/store/checksum';

disableChecksumsForBenchmark();
await import('../../server/cli');
