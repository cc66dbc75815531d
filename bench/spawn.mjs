// Runs one measurement in a fresh child process and parses its `BENCH_RESULT {json}` line.
import { spawn } from 'node:child_process';

const RESULT_PREFIX = 'BENCH_RESULT ';

/**
 * @param command executable (node or a native runner)
 * @param args    argument list
 * @param options {cwd, timeoutSeconds}
 * @returns the parsed result object; {error} when the process failed or printed no result
 */
export function runMeasurementProcess(command, args, { cwd, timeoutSeconds = 600 } = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutSeconds * 1000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ error: `${command}: ${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULT_PREFIX));
      if (!line) {
        const tail = (stderr || stdout).trim().split('\n').slice(-5).join('\n');
        resolve({ error: `${command} ${args.join(' ')} exited (${signal ?? code}) without a result:\n${tail}` });
        return;
      }
      const result = JSON.parse(line.slice(RESULT_PREFIX.length));
      result.processSeconds = (Date.now() - started) / 1000;
      if (code !== 0 && !result.error) result.error = `exit code ${code}`;
      resolve(result);
    });
  });
}
