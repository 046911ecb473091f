// A stand-in upstream for the proxy tests, run with node inside a real sandbox (no npm packages there): plain
// `http` plus the smallest RFC 6455 server (handshake, masked client frames, fragmentation, ping, close).
// Usage: node upstream.js PORT [HOST]
'use strict';
const http = require('http');
const crypto = require('crypto');
const zlib = require('zlib');

const port = Number(process.argv[2]);
const host = process.argv[3] || '127.0.0.1';
const events = []; // WebSocket opens and closes, for GET /ws-events

function json(res, status, value, extra) {
    const body = Buffer.from(JSON.stringify(value));
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': body.length, ...(extra || {}) });
    res.end(body);
}

const GZIP_TEXT = 'compressed hello '.repeat(200);

const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    switch (url.pathname) {
        case '/echo':
            return json(res, 200, { method: req.method, url: req.url, headers: req.headers, port });
        case '/sha': {
            const hash = crypto.createHash('sha256');
            let length = 0;
            let maxRss = 0;
            req.on('data', chunk => { hash.update(chunk); length += chunk.length; maxRss = Math.max(maxRss, process.memoryUsage().rss); });
            req.on('end', () => json(res, 200, { sha256: hash.digest('hex'), length, transferEncoding: req.headers['transfer-encoding'] || null, contentLength: req.headers['content-length'] || null }));
            return;
        }
        case '/cookies':
            res.writeHead(200, {
                'Content-Type': 'text/plain',
                'Set-Cookie': ['a=1; Path=/', 'b=2; Path=/sub; Domain=localhost; HttpOnly', 'remolt_auth=forged; Path=/', 'c=3'],
                'Server': 'tiny-http (Rust)',
                'X-Listed': 'one, two',
            });
            return res.end('cookies');
        case '/gzip': {
            const body = zlib.gzipSync(Buffer.from(GZIP_TEXT));
            res.writeHead(200, {
                'Content-Type': 'text/plain', 'Content-Encoding': 'gzip', 'Content-Length': body.length,
                'X-Body-Sha256': crypto.createHash('sha256').update(body).digest('hex'),
            });
            return res.end(body);
        }
        case '/frame':
            res.writeHead(200, {
                'Content-Type': 'text/plain', 'X-Frame-Options': 'DENY',
                'Content-Security-Policy': "frame-ancestors 'none'; default-src 'self'", 'X-Other': 'kept',
            });
            return res.end('framed');
        case '/redirect':
            res.writeHead(302, { Location: `http://localhost:${port}/echo?from=abs` });
            return res.end();
        case '/redirect-root':
            res.writeHead(302, { Location: '/echo?from=root' });
            return res.end();
        case '/openclaw':
        case '/openclaw-gzip': {
            const html = Buffer.from('<!doctype html><html><head><script>window.__OPENCLAW_CONTROL_UI_BASE_PATH__="";</script></head><body>claw</body></html>');
            if (url.pathname === '/openclaw-gzip') {
                const body = zlib.gzipSync(html);
                res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Encoding': 'gzip', 'Content-Length': body.length });
                return res.end(body);
            }
            res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': html.length });
            return res.end(html);
        }
        case '/sse':
            res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
            res.write('data: first\n\n');
            setTimeout(() => { res.write('data: second\n\n'); res.end(); }, 3000);
            return;
        case '/ws-events':
            return json(res, 200, events);
        default:
            return json(res, 404, { detail: 'no such path', path: url.pathname });
    }
});

server.on('upgrade', (req, socket) => {
    const key = req.headers['sec-websocket-key'];
    if (!key) return socket.destroy();
    const accept = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    const offered = (req.headers['sec-websocket-protocol'] || '').split(',').map(s => s.trim()).filter(Boolean);
    const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`];
    if (offered.length > 0) lines.push(`Sec-WebSocket-Protocol: ${offered[0]}`);
    socket.write(lines.join('\r\n') + '\r\n\r\n');
    const id = events.length;
    events.push({ id, path: req.url, protocol: offered[0] || null, origin: req.headers.origin || null, closed: null });
    serveSocket(req, socket, events[id]);
});

function frame(opcode, payload) {
    const length = payload.length;
    let header;
    if (length < 126) header = Buffer.from([0x80 | opcode, length]);
    else if (length < 65536) { header = Buffer.alloc(4); header[0] = 0x80 | opcode; header[1] = 126; header.writeUInt16BE(length, 2); }
    else { header = Buffer.alloc(10); header[0] = 0x80 | opcode; header[1] = 127; header.writeBigUInt64BE(BigInt(length), 2); }
    return Buffer.concat([header, payload]);
}

function serveSocket(req, socket, record) {
    let buffered = Buffer.alloc(0);
    let message = [];
    let messageOpcode = 0;
    let closed = false;
    const finish = (code, how) => { if (record.closed === null) record.closed = { code, how }; };
    socket.on('close', () => finish(null, 'tcp'));
    socket.on('error', () => finish(null, 'error'));

    function onMessage(opcode, payload) {
        const text = opcode === 1 ? payload.toString('utf8') : null;
        if (text === 'headers') {
            return socket.write(frame(1, Buffer.from(JSON.stringify({ path: req.url, headers: req.headers }))));
        }
        if (text === 'close-me') {
            closed = true;
            finish(4321, 'server');
            const body = Buffer.alloc(2 + 3); body.writeUInt16BE(4321, 0); body.write('bye', 2);
            socket.write(frame(8, body));
            return setTimeout(() => socket.end(), 200);
        }
        socket.write(frame(opcode, payload)); // echo, same type
    }

    socket.on('data', chunk => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2) {
            const fin = (buffered[0] & 0x80) !== 0;
            const opcode = buffered[0] & 0x0f;
            const masked = (buffered[1] & 0x80) !== 0;
            let length = buffered[1] & 0x7f;
            let offset = 2;
            if (length === 126) { if (buffered.length < 4) return; length = buffered.readUInt16BE(2); offset = 4; }
            else if (length === 127) { if (buffered.length < 10) return; length = Number(buffered.readBigUInt64BE(2)); offset = 10; }
            const maskOffset = offset;
            if (masked) offset += 4;
            if (buffered.length < offset + length) return;
            const payload = Buffer.from(buffered.subarray(offset, offset + length));
            if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= buffered[maskOffset + (i % 4)];
            buffered = buffered.subarray(offset + length);

            if (opcode === 8) {
                const code = payload.length >= 2 ? payload.readUInt16BE(0) : null;
                finish(code, 'client');
                if (!closed) { closed = true; socket.write(frame(8, payload.subarray(0, 2))); }
                setTimeout(() => socket.end(), 100);
                return;
            }
            if (opcode === 9) { socket.write(frame(10, payload)); continue; }
            if (opcode === 10) continue;
            if (opcode !== 0) messageOpcode = opcode;
            message.push(payload);
            if (fin) {
                const whole = Buffer.concat(message);
                message = [];
                onMessage(messageOpcode, whole);
            }
        }
    });
}

server.listen(port, host, () => console.log(`upstream listening on ${host}:${port}`));
