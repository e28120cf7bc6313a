//! rampgen's code generator: OpenAPI 3.0/3.1 documents in, a typed Rust client out.
//!
//! The pipeline is load → overlay → repair → parse → lower → emit → format; each stage is one
//! module with a typed value at its boundary. This crate does no file IO: callers pass the spec's
//! text and get the generated files back (see `xtask` for the command-line front end).

pub mod diagnostics;
pub mod overlay;
pub mod repair;
