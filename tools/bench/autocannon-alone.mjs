// Reference run: autocannon alone in one process, printing responses per second as JSON.
import autocannon from 'autocannon';

const [url, connections, duration] = process.argv.slice(2);
const result = await autocannon({ url, connections: Number(connections), duration: Number(duration) });
const responses = Object.entries(result)
  .filter(([key]) => /^\dxx$/.test(key))
  .reduce((sum, [, value]) => sum + value, 0);
process.stdout.write(`${JSON.stringify({ rps: responses / (result.duration), responses, duration: result.duration })}\n`);
