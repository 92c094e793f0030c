import { describe, expect, it } from "vitest";
import { safeLogText, showBidiControls, stripTerminalControls } from "./terminal-text";

describe("stripTerminalControls", () => {
  it("keeps colours", () => {
    expect(stripTerminalControls("\u001b[31mERROR\u001b[0m up \u001b[1;32mok\u001b[m")).toBe("\u001b[31mERROR\u001b[0m up \u001b[1;32mok\u001b[m");
  });

  it.each([
    ["an OSC 8 hyperlink", "see \u001b]8;;https://evil.example\u0007here\u001b]8;;\u0007 now", "see here now"],
    ["an OSC 8 hyperlink ended by ST", "see \u001b]8;;https://evil.example\u001b\\here\u001b]8;;\u001b\\ now", "see here now"],
    ["an OSC 0 window title", "\u001b]0;pwned\u0007line", "line"],
    ["an OSC 52 clipboard write", "x\u001b]52;c;cm0gLXJmIH4=\u0007y", "xy"],
    ["an unterminated OSC", "ok \u001b]0;title with no end", "ok "],
    ["an 8-bit OSC", "a\u009d0;title\u0007b", "ab"],
    ["a DCS string", "a\u001bP1$r0m\u001b\\b", "ab"],
    ["cursor movement and screen clearing", "\u001b[2J\u001b[H\u001b[10;5Hx\u001b[K", "x"],
    ["a private mode switch", "\u001b[?1049hx\u001b[?25l", "x"],
    ["BEL and backspaces", "ding\u0007\u0008\u0008!", "ding!"],
    ["a reset (ESC c) and a lone ESC at the end", "a\u001bcb\u001b", "ab"],
    ["C1 controls", "a\u0085b\u0080c", "abc"],
  ])("removes %s", (_what, input, output) => {
    expect(stripTerminalControls(input)).toBe(output);
  });

  it("keeps tabs and ordinary text", () => {
    expect(stripTerminalControls("a\tb ünï 名前 😀")).toBe("a\tb ünï 名前 😀");
  });
});

describe("showBidiControls", () => {
  it("marks overrides, isolates and marks visibly", () => {
    expect(showBidiControls("user\u202Egnp.exe")).toBe("user⟦U+202E⟧gnp.exe");
    expect(showBidiControls("\u2066a\u2069\u200F")).toBe("⟦U+2066⟧a⟦U+2069⟧⟦U+200F⟧");
  });

  it("composes with stripping in safeLogText", () => {
    expect(safeLogText("\u001b]0;t\u0007\u001b[31m\u202Eok\u001b[0m")).toBe("\u001b[31m⟦U+202E⟧ok\u001b[0m");
  });
});
