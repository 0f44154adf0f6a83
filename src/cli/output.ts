/** What an operator command prints for the operator (stdout; progress and errors go to stderr). */
export const say = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
