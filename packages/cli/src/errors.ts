/** A failure to report in one line; `exitCode` 1 for errors, 2 for usage mistakes. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
    readonly code?: string,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2, "usage");
  }
}
