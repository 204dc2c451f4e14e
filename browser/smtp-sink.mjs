// A minimal SMTP server on 127.0.0.1 that accepts every message and keeps it, for the checks
// that look at the e-mails Phare really sends (`phare serve --smtp-url smtp://127.0.0.1:<port>`,
// no TLS, no authentication), and a small MIME reader for what lettre writes: headers with
// RFC 2047 encoded words, multipart/alternative, 7bit/8bit, quoted-printable or base64 parts.

import net from 'node:net';

/** Starts the sink; returns { port, messages: [{ from, to, raw }], close() }. */
export function smtpSink() {
  const messages = [];
  const sockets = new Set();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let buf = '';
    let inData = false;
    let env = { from: '', to: [] };
    const say = (line) => sock.write(`${line}\r\n`);
    say('220 phare-checks SMTP sink');
    sock.on('data', (chunk) => {
      buf += chunk.toString('latin1'); // byte-preserving
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0 && !buf.startsWith('.\r\n')) return;
          const body = buf.startsWith('.\r\n') ? '' : buf.slice(0, end);
          buf = buf.startsWith('.\r\n') ? buf.slice(3) : buf.slice(end + 5);
          const raw = body.replace(/^\.\./gm, '.');
          messages.push({ ...env, raw: Buffer.from(raw, 'latin1') });
          env = { from: '', to: [] };
          inData = false;
          say('250 2.0.0 kept');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') {
          say('250-phare-checks');
          say('250-8BITMIME');
          say('250 PIPELINING');
        } else if (verb === 'HELO') say('250 phare-checks');
        else if (verb === 'MAIL') {
          env.from = line.slice(10).trim();
          say('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          env.to.push(line.slice(8).trim());
          say('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          say('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'QUIT') {
          say('221 2.0.0 bye');
          sock.end();
          return;
        } else if (verb === 'RSET' || verb === 'NOOP') say('250 2.0.0 ok');
        else say('502 5.5.2 not implemented');
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        messages,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

/** RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) to text. */
export function decodeWords(value) {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2') // whitespace between encoded words is not text
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset, enc, text) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      return new TextDecoder(charset.toLowerCase()).decode(bytes);
    });
}

function splitHead(raw) {
  const at = raw.indexOf('\r\n\r\n');
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at + 4);
  const headers = [];
  for (const line of head.split('\r\n')) {
    if (/^[ \t]/.test(line) && headers.length) headers[headers.length - 1].value += line;
    else {
      const c = line.indexOf(':');
      if (c > 0) headers.push({ name: line.slice(0, c).trim(), value: line.slice(c + 1).trim() });
    }
  }
  return { headers, body };
}

function header(headers, name) {
  const h = headers.find((x) => x.name.toLowerCase() === name.toLowerCase());
  return h ? h.value : '';
}

function decodeBody(body, encoding, charset) {
  const enc = (encoding || '7bit').toLowerCase();
  let bytes;
  if (enc === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else if (enc === 'quoted-printable') {
    bytes = Buffer.from(
      body.replace(/=\r\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    );
  } else bytes = Buffer.from(body, 'latin1');
  return new TextDecoder((charset || 'utf-8').toLowerCase()).decode(bytes);
}

/**
 * Reads a message kept by the sink: { headers: [{name, value}], subject, to, parts: [{ type, text }] }
 * (the leaves of the MIME tree, decoded to text).
 */
export function parseMail(rawBuffer) {
  const raw = rawBuffer.toString('latin1');
  const { headers, body } = splitHead(raw);
  const parts = [];
  const walk = (hs, b) => {
    const type = header(hs, 'content-type') || 'text/plain';
    const mime = type.split(';')[0].trim().toLowerCase();
    if (mime.startsWith('multipart/')) {
      const m = /boundary="?([^";]+)"?/i.exec(type);
      if (!m) return;
      const pieces = b.split(`--${m[1]}`);
      for (const piece of pieces.slice(1)) {
        if (piece.startsWith('--')) break;
        const p = splitHead(piece.replace(/^\r\n/, ''));
        walk(p.headers, p.body.replace(/\r\n$/, ''));
      }
      return;
    }
    const charset = (/charset="?([^";]+)"?/i.exec(type) || [])[1];
    parts.push({ type: mime, text: decodeBody(b, header(hs, 'content-transfer-encoding'), charset) });
  };
  walk(headers, body);
  return { headers, subject: decodeWords(header(headers, 'subject')), to: header(headers, 'to'), parts };
}
