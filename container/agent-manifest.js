// Reads one agents/<id>/agent.json from stdin and prints its id on the first line and its "install" command after
// it. Run by build-images.sh with the base image's node, so the host needs no jq or python. Accepts what the
// server's parser accepts (comments, trailing commas); any other problem exits 3 with a message naming the file.
//   node -e "$(cat agent-manifest.js)" agents/claude-code/agent.json < agents/claude-code/agent.json
"use strict";
const name = process.argv[process.argv.length - 1] || "agent.json";
const fail = (why) => {
    process.stderr.write(`${name}: ${why}\n`);
    process.exit(3);
};

// Drops // and /* */ comments, then commas before } or ], leaving string contents alone.
function scan(text, onOther) {
    let out = "";
    for (let i = 0; i < text.length; i++) {
        if (text[i] === '"') {
            let j = i + 1;
            while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
            out += text.slice(i, j + 1);
            i = j;
        } else {
            const [emit, next] = onOther(text, i);
            out += emit;
            i = next;
        }
    }
    return out;
}

function relax(text) {
    const noComments = scan(text, (t, i) => {
        if (t[i] === "/" && t[i + 1] === "/") {
            const end = t.indexOf("\n", i);
            return ["\n", end < 0 ? t.length : end];
        }
        if (t[i] === "/" && t[i + 1] === "*") {
            const end = t.indexOf("*/", i + 2);
            if (end < 0) fail("invalid agent definition: unterminated /* comment");
            return [" ", end + 1];
        }
        return [t[i], i];
    });
    return scan(noComments, (t, i) => [t[i] === "," && /^\s*[}\]]/.test(t.slice(i + 1)) ? "" : t[i], i]);
}

const chunks = [];
process.stdin.on("data", (d) => chunks.push(d));
process.stdin.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8");
    if (text.trim() === "") fail("the file is empty");
    let agent;
    try {
        agent = JSON.parse(relax(text));
    } catch (e) {
        fail(`invalid agent definition: ${e.message}`);
    }
    if (agent === null || typeof agent !== "object" || Array.isArray(agent)) fail("the file is not a JSON object");
    if (typeof agent.id !== "string" || !/^[a-z][a-z0-9-]{0,39}$/.test(agent.id)) {
        fail(`field 'id' must be lowercase letters, digits and dashes (1-40 chars, starting with a letter), got ${JSON.stringify(agent.id)}`);
    }
    const install = agent.install === undefined || agent.install === null ? "" : agent.install;
    if (typeof install !== "string") fail(`field 'install' must be a string, got ${JSON.stringify(install)}`);
    process.stdout.write(`${agent.id}\n${install}`);
});
