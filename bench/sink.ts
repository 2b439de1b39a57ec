/** A discarding SMTP sink in its own process, for machines without Postfix's smtp-sink. */
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => callback());
  },
});
server.listen(Number(process.argv[2]), '127.0.0.1');
