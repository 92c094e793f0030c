import { expect, it } from "vitest";
import { restartedTimes } from "./restarted-times";

it("says how often a container restarted in words people use", () => {
  expect(restartedTimes(1)).toBe("restarted once");
  expect(restartedTimes(3)).toBe("restarted 3 times");
  expect(restartedTimes(1200)).toBe("restarted 1,200 times");
});
