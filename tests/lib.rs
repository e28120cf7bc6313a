//! Shared helpers for the workspace-level tests live in the test files themselves.
