/** What the CLI needs from its process (output, environment, signals), passed in so commands are testable. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Where JSON log lines go. */
  log(line: string): void;
  env: NodeJS.ProcessEnv;
  onSignal(signal: 'SIGINT' | 'SIGTERM', fn: () => void): void;
  help(topic: string): string;
  now(): number;
}
