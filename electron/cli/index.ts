import { VERSION } from '../engine/base/version';
import { commands } from './commands';
import { UsageError } from './usage-error';

const HELP = `jetty ${VERSION} — author, run and replay agent runbooks locally

Usage: jetty <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(22)}${c.summary}`)
  .join('\n')}

Options:
  --help, -h            show help (also: jetty <command> --help)
  --version, -v         print the version

Exit codes: 0 success, 1 failure (e.g. lint errors, failed run), 2 bad usage or unreadable path, 130 cancelled.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const entry = commands[name];
  if (!entry) throw new UsageError(`unknown command '${name}'. Run 'jetty --help' for the list.`);
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  return command.run(rest);
}

// A closed pipe (`jetty run … | head`) must not kill a run mid-way: stop printing, carry on.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`jetty: ${err instanceof Error ? err.message : String(err)}\n`);
    // parseArgs reports unknown or malformed options with ERR_PARSE_ARGS_* codes: bad usage too.
    const badOptions = String((err as NodeJS.ErrnoException)?.code ?? '').startsWith('ERR_PARSE_ARGS');
    process.exitCode = err instanceof UsageError || badOptions ? 2 : 1;
  },
);
