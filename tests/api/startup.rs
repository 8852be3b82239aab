//! Startup failures are one clear line and a non-zero exit, never a panic.

use std::process::Command;

fn swcat_serve_with(database_url: &str) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_swcat"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--db-acquire-timeout",
            "2",
        ])
        .env("DATABASE_URL", database_url)
        .env("SWCAT_LOG", "off")
        .output()
        .expect("swcat runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_one_line_error(stderr: &str, mentions: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(lines[0].contains(mentions), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_scheme_is_one_line_and_a_failure() {
    let (ok, stderr) = swcat_serve_with("oracle://db/swcat");
    assert!(!ok);
    assert_one_line_error(&stderr, "unsupported scheme");
}

#[test]
fn an_unreachable_database_is_one_line_and_a_failure() {
    // Port 9 (discard) on localhost is closed on any sane machine.
    let (ok, stderr) = swcat_serve_with("postgres://swcat:secret@127.0.0.1:9/swcat");
    assert!(!ok);
    assert_one_line_error(&stderr, "cannot connect");
    assert!(!stderr.contains("secret"), "the password leaked: {stderr}");
}

#[test]
fn an_unopenable_sqlite_file_is_one_line_and_a_failure() {
    let (ok, stderr) = swcat_serve_with("sqlite:///nonexistent-dir/deeper/swcat.db");
    assert!(!ok);
    assert_one_line_error(&stderr, "cannot connect");
}

#[test]
fn a_malformed_url_is_one_line_without_its_password() {
    let (ok, stderr) = swcat_serve_with("postgres://app:secret@127.0.0.1:notaport/swcat");
    assert!(!ok);
    assert_one_line_error(&stderr, "cannot be parsed");
    assert!(!stderr.contains("secret"), "the password leaked: {stderr}");
}

/// A refused login on the configured test servers (skipped when they are not configured).
#[test]
fn a_refused_login_is_one_line_and_a_failure() {
    if let Ok(url) = std::env::var("SWCAT_TEST_POSTGRES_URL") {
        let url = url
            .replacen("://", "://no_such_role_swcat@", 1)
            .replacen("postgres@", "", 1);
        let (ok, stderr) = swcat_serve_with(&url);
        assert!(!ok, "{url}");
        assert_one_line_error(&stderr, "no_such_role_swcat");
    }
    if let Ok(url) = std::env::var("SWCAT_TEST_MYSQL_URL") {
        let url = url.replacen("root@", "root:wrong-password@", 1);
        let (ok, stderr) = swcat_serve_with(&url);
        assert!(!ok, "{url}");
        assert_one_line_error(&stderr, "Access denied");
        assert!(
            !stderr.contains("wrong-password"),
            "the password leaked: {stderr}"
        );
    }
}

#[test]
fn swcat_migrate_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("swcat.db").display());
    for _ in 0..3 {
        let output = Command::new(env!("CARGO_BIN_EXE_swcat"))
            .args(["migrate", "--database-url", &url])
            .env("SWCAT_LOG", "off")
            .output()
            .expect("swcat runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(dir.path().join("swcat.db").exists());
}
