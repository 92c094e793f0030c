// @ts-check
// What a container's output may do to whoever reads it. Colours (SGR: ESC [ … m) are kept,
// everything else a terminal acts on is removed: OSC sequences (hyperlinks, window titles,
// clipboard writes), device control strings, cursor movement and screen clearing, C1
// controls, BEL and the other C0 controls but tab. Bidirectional overrides, which make text
// read differently from what it is, are shown as visible marks instead. Client-safe, and plain
// JavaScript so that the `corral` CLI (cli/, run by Node without a build) prints logs by the same rule.

const SEQUENCES = new RegExp(
  [
    "\\u001b\\][\\s\\S]*?(?:\\u0007|\\u001b\\\\|\\u009c|$)", // OSC … BEL or ST (or to the end of the line)
    "\\u009d[\\s\\S]*?(?:\\u0007|\\u001b\\\\|\\u009c|$)", // 8-bit OSC
    "\\u001b[PX^_][\\s\\S]*?(?:\\u001b\\\\|\\u009c|$)", // DCS, SOS, PM, APC … ST
    "[\\u0090\\u0098\\u009e\\u009f][\\s\\S]*?(?:\\u001b\\\\|\\u009c|$)", // their 8-bit forms
    "(?:\\u001b\\[|\\u009b)[0-?]*[ -/]*[@-~]", // CSI … final byte (SGR among them: kept below)
    "\\u001b[ -/]*[0-~]", // any other escape sequence
    "\\u001b", // a lone ESC
  ].join("|"),
  "g",
);
const SGR = /^(?:\u001b\[|\u009b)[0-9;:]*m$/;
const CONTROLS = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The line with every escape sequence but colours removed, and no other control characters.
 * @param {string} text
 * @returns {string}
 */
export function stripTerminalControls(text) {
  return text.replace(SEQUENCES, (seq) => (SGR.test(seq) ? seq.replace("\u009b", "\u001b[") : "")).replace(CONTROLS, "");
}

/**
 * Bidirectional controls as visible marks, e.g. ⟦U+202E⟧.
 * @param {string} text
 * @returns {string}
 */
export function showBidiControls(text) {
  return text.replace(BIDI, (c) => `⟦U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}⟧`);
}

/**
 * What the viewer, a download and the CLI show of a line, unless the raw bytes were asked for.
 * @param {string} text
 * @returns {string}
 */
export function safeLogText(text) {
  return showBidiControls(stripTerminalControls(text));
}
