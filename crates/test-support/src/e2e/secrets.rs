//! A multi-line secret for the scrubbing tests: a PEM-like key (not a real one), the output
//! of a failing command that prints it with Windows line endings, and the check that no line
//! of it shows.

/// A parameter value spanning lines, as a private key would be.
pub const PEM: &str = "-----BEGIN PRIVATE KEY-----\n\
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDemuL4t0rK3yQ9\n\
Zx7Pq2vW8sN5bH1cJ6fR4tY0uI3oP9aS2dF5gH8jK1lZ4xC7vB6nM0qW3eR5tY8u\n\
Lq9w2E4r6T8y0U1i3O5p7A9s1D3f5G7h9J1k3L5z7X9c1V3b5N7m9Q1w3E5r7T9y\n\
Kq==\n\
-----END PRIVATE KEY-----";

/// `--instance-outcome` for `instance`: exit 1, printing the key line by line with `\r\n`.
pub fn printing_the_key(instance: &str) -> String {
    format!(
        "{instance}:exit=1,output=loading key\r\n{}\r\nfatal: key rejected\r\n",
        PEM.replace('\n', "\r\n")
    )
}

/// Asserts that no line of [`PEM`]'s body is in `text` (the armour lines are no secret).
pub fn assert_no_key_line(what: &str, text: &str) {
    for line in PEM.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!text.contains(line), "{what} shows the key line {line:?}: {text}");
    }
}
