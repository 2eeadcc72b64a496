/**
 * `tasknet/testing` — PLACEHOLDER so the build has this entry; the testing helpers (issue 11,
 * point 4) replace this file.
 */
export {}
