#![cfg_attr(doctest, doc = include_str!("../../../README.md"))]
// The include is on line 1, so rustdoc's line numbers (test names, errors) are README.md's.
//! The README's Rust code, compiled.
//!
//! Every ```` ```rust ```` block of the workspace `README.md` is a doctest of this crate
//! (`cargo test -p readme-check`, run by `scripts/test lint`), so a snippet that stops
//! compiling fails CI; a unit test refuses ```` ```rust,ignore ````, which would escape it.
//! A failure is reported as `tools/readme-check/src/lib.rs - (line N)` with N and the error
//! lines counted in `README.md`.
//!
//! The blocks are `rust,no_run`: compiled against this crate's dependencies (what a reader's
//! app has, with the features the README names; client and server snippets alike, on the host
//! target) but not run. Lines starting with `# ` are rustdoc's hidden lines, kept to what a
//! reader obviously has (`use` lines, the surrounding function); GitHub shows them as they
//! are. Snippets that are partial on purpose (`toml`, `sh`) stay out by their fence language.

#[cfg(test)]
mod tests {
    /// `ignore` would silently take a block out of the check (rustdoc only counts it as
    /// ignored), so a README Rust block may not carry it: fix the snippet, or give a block that
    /// is not meant to compile another fence language.
    #[test]
    fn no_rust_block_of_the_readme_is_ignored() {
        let readme = include_str!("../../../README.md");
        let ignored: Vec<usize> = readme
            .lines()
            .enumerate()
            .filter_map(|(i, line)| {
                let info = line.trim_start().strip_prefix("```")?;
                let mut words = info.split(|c: char| c == ',' || c.is_whitespace());
                let rust = words.next() == Some("rust");
                (rust && words.any(|w| w == "ignore")).then_some(i + 1)
            })
            .collect();
        assert!(
            ignored.is_empty(),
            "README.md lines {ignored:?}: ```rust,ignore is not compiled"
        );
    }
}
