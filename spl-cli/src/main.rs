//! The `spl` command.

// The integrator wires `kubearmor_cmd::run` into the command line.
#[allow(dead_code)]
mod kubearmor_cmd;

fn main() {}
