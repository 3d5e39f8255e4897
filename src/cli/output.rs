//! What the command line prints. Text from a plan is untrusted: every line is made safe for
//! a terminal (escape sequences, carriage returns, newlines and bidirectional overrides are
//! shown as visible escapes), so a name can neither clear the screen nor forge a line like
//! `other.ron: ok`. Writing into a closed pipe (`keyholder report X | head -1`) ends the
//! command quietly, as a C tool killed by SIGPIPE does (exit status 141).

use std::io::{self, Write};

use crate::report::{terminal_safe, terminal_safe_lines};

/// The exit status after stdout was closed by its reader (128 + SIGPIPE).
const CLOSED_PIPE: i32 = 141;

fn write_stdout(text: &str) {
    bytes(text.as_bytes());
}

/// Bytes on stdout as they are (a PDF piped to a file or a viewer).
pub fn bytes(data: &[u8]) {
    let mut stdout = io::stdout().lock();
    let written = stdout.write_all(data).and_then(|()| stdout.flush());
    if let Err(error) = written {
        if error.kind() == io::ErrorKind::BrokenPipe {
            // The reader has all it wanted; nothing is wrong, nothing more to say.
            std::process::exit(CLOSED_PIPE);
        }
        let _ = writeln!(
            io::stderr(),
            "keyholder: could not write the output: {error}"
        );
        std::process::exit(1);
    }
}

/// One line on stdout; whatever it holds is shown, never acted on.
pub fn line(text: &str) {
    write_stdout(&format!("{}\n", terminal_safe(text)));
}

/// Several lines on stdout, laid out by the caller (a report, a table); characters a
/// terminal would act on are escaped, line ends are kept.
pub fn block(text: &str) {
    write_stdout(&terminal_safe_lines(text));
}

/// One line on stderr (a warning, an error); whatever it holds is shown, never acted on.
/// A closed stderr is not an error worth reporting anywhere.
pub fn error_line(text: &str) {
    let _ = writeln!(io::stderr(), "{}", terminal_safe(text));
}

/// Several lines on stderr, each made safe on its own: `lines` joined by newlines that the
/// command line put there.
pub fn error_lines(text: &str) {
    for each in text.split('\n') {
        error_line(each);
    }
}
