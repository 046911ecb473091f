// A stand-in for code-server in images built without it (the test image): `remolt-code-server --stand-in` runs it
// on 127.0.0.1:18080. It is not VS Code; it gives tests of the /vscode proxy a known peer:
//   GET any path      -> 200 text/html "remolt code-server stand-in", echoing the method, path and Host header
//                        in X-Stand-In-* response headers
//   WebSocket upgrade -> echoes every unfragmented text or binary message back (RFC 6455, no extensions)
"use strict";
const http = require("http");
const crypto = require("crypto");

const [host, port] = [process.argv[2] || "127.0.0.1", Number(process.argv[3] || 18080)];
const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

const server = http.createServer((req, res) => {
    res.writeHead(200, {
        "Content-Type": "text/html; charset=utf-8",
        "X-Stand-In-Method": req.method,
        "X-Stand-In-Path": req.url,
        "X-Stand-In-Host": req.headers.host || "",
    });
    res.end(`<!doctype html><title>remolt code-server stand-in</title><p>remolt code-server stand-in: ${req.method} ${encodeURI(req.url)}</p>\n`);
});

function frame(opcode, payload) {
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x80 | opcode, len])
        : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 255])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(len)); return b; })()]);
    return Buffer.concat([head, payload]);
}

server.on("upgrade", (req, socket) => {
    const key = req.headers["sec-websocket-key"];
    if (!key || (req.headers.upgrade || "").toLowerCase() !== "websocket") {
        socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
        return;
    }
    const accept = crypto.createHash("sha1").update(key + WS_GUID).digest("base64");
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    let buffered = Buffer.alloc(0);
    socket.on("data", (chunk) => {
        buffered = Buffer.concat([buffered, chunk]);
        for (;;) {
            if (buffered.length < 2) return;
            const opcode = buffered[0] & 15;
            const masked = (buffered[1] & 128) !== 0;
            let len = buffered[1] & 127;
            let offset = 2;
            if (len === 126) { if (buffered.length < 4) return; len = buffered.readUInt16BE(2); offset = 4; }
            else if (len === 127) { if (buffered.length < 10) return; len = Number(buffered.readBigUInt64BE(2)); offset = 10; }
            const need = offset + (masked ? 4 : 0) + len;
            if (buffered.length < need) return;
            const mask = masked ? buffered.subarray(offset, offset + 4) : null;
            const payload = Buffer.from(buffered.subarray(need - len, need));
            if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
            buffered = buffered.subarray(need);
            if (opcode === 8) { socket.end(frame(8, payload.subarray(0, 2))); return; }
            if (opcode === 9) socket.write(frame(10, payload));
            else if (opcode === 1 || opcode === 2) socket.write(frame(opcode, payload));
        }
    });
    socket.on("error", () => socket.destroy());
});

server.listen(port, host, () => console.log(`code-server stand-in listening on ${host}:${port}`));
