//! The `hromada` binary as an operator uses it.

use std::process::{Command, Output};

fn hromada(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hromada"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("HROMADA_DATABASE_URL")
        .env("HROMADA_LOG", "warn")
        .output()
        .expect("run hromada")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn every_subcommand_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for sub in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["demo", "--help"],
        vec!["migrate", "--help"],
        vec!["community", "--help"],
        vec!["community", "create", "--help"],
        vec!["community", "list", "--help"],
        vec!["community", "set-host", "--help"],
        vec!["user", "--help"],
        vec!["user", "create", "--help"],
        vec!["user", "set-role", "--help"],
        vec!["user", "verify", "--help"],
        vec!["backup", "--help"],
        vec!["restore", "--help"],
        vec!["services", "import", "--help"],
        vec!["services", "export", "--help"],
        vec!["transit", "import", "--help"],
        vec!["transit", "realtime", "--help"],
    ] {
        let out = hromada(dir.path(), &sub);
        assert!(out.status.success(), "{sub:?}: {}", stderr(&out));
        assert!(stdout(&out).contains("Usage"), "{sub:?}");
    }
}

#[test]
fn communities_and_users_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(hromada(d, &["migrate"]).status.success());
    let created =
        hromada(d, &["community", "create", "--slug", "cli", "--name-uk", "Громада з консолі", "--host", "cli.test"]);
    assert!(created.status.success(), "{}", stderr(&created));
    let again = hromada(d, &["community", "create", "--slug", "cli", "--name-uk", "Дубль"]);
    assert!(!again.status.success());
    let err = stderr(&again);
    assert_eq!(err.trim().lines().count(), 1, "a one-line error: {err}");
    assert!(err.contains("already exists"));

    let user = hromada(
        d,
        &[
            "user",
            "create",
            "--community",
            "cli",
            "--email",
            "a@cli.test",
            "--name",
            "Адмін",
            "--password",
            "long enough password",
            "--role",
            "admin",
        ],
    );
    assert!(user.status.success(), "{}", stderr(&user));
    let bad_role = hromada(d, &["user", "set-role", "--community", "cli", "--email", "a@cli.test", "--role", "king"]);
    assert!(!bad_role.status.success());
    assert!(stderr(&bad_role).contains("unknown role king"));
    assert!(
        hromada(d, &["user", "set-role", "--community", "cli", "--email", "a@cli.test", "--role", "editor"])
            .status
            .success()
    );
    assert!(
        hromada(d, &["user", "verify", "--community", "cli", "--email", "a@cli.test", "--tax-number", "1111111111"])
            .status
            .success()
    );
    let op = hromada(
        d,
        &[
            "user",
            "create",
            "--platform-admin",
            "--email",
            "op@cli.test",
            "--name",
            "Оператор",
            "--password",
            "long enough password",
        ],
    );
    assert!(op.status.success(), "{}", stderr(&op));
    let short = hromada(
        d,
        &["user", "create", "--community", "cli", "--email", "b@cli.test", "--name", "Б", "--password", "short"],
    );
    assert!(!short.status.success());

    let hosts = hromada(d, &["community", "set-host", "--slug", "cli", "--host", "www.cli.test", "--alias"]);
    assert!(hosts.status.success());
    let list = stdout(&hromada(d, &["community", "list"]));
    assert!(list.contains("cli\tГромада з консолі\tcli.test, www.cli.test (alias)"), "{list}");

    let missing = hromada(d, &["user", "verify", "--community", "nope", "--email", "x@y.z"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("no community with the slug nope"));
    let nonsense = hromada(d, &["community", "frobnicate"]);
    assert!(!nonsense.status.success());
    assert_eq!(stderr(&nonsense).trim().lines().count(), 1, "one line: {}", stderr(&nonsense));
    let missing_arg = hromada(d, &["community", "create", "--slug", "x"]);
    assert!(!missing_arg.status.success());
    assert_eq!(stderr(&missing_arg).trim().lines().count(), 1, "one line: {}", stderr(&missing_arg));
    assert!(
        hromada(d, &["user", "verify", "--community", "cli", "--email", "a@cli.test", "--phone", "+380 50 123 45 67"])
            .status
            .success()
    );
    assert!(
        !hromada(d, &["user", "verify", "--community", "cli", "--email", "a@cli.test", "--phone", "12"])
            .status
            .success()
    );
}

#[test]
fn backup_and_restore_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    assert!(hromada(&d, &["community", "create", "--slug", "keep", "--name-uk", "Збережена"]).status.success());
    let file = dir.path().join("backup.sqlite");
    let backup = hromada(&d, &["backup", "--to", file.to_str().unwrap()]);
    assert!(backup.status.success(), "{}", stderr(&backup));
    assert!(
        !hromada(&d, &["backup", "--to", file.to_str().unwrap()]).status.success(),
        "an existing file is not overwritten"
    );

    let other = dir.path().join("other");
    let restore = hromada(&other, &["restore", "--from", file.to_str().unwrap()]);
    assert!(restore.status.success(), "{}", stderr(&restore));
    assert!(stdout(&hromada(&other, &["community", "list"])).contains("Збережена"));

    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, b"not a database").unwrap();
    assert!(!hromada(&other, &["restore", "--from", junk.to_str().unwrap()]).status.success());
}

#[test]
fn the_server_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let child = Command::new(env!("CARGO_BIN_EXE_hromada"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(dir.path())
        .env("HROMADA_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut up = false;
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            up = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(up, "the server started");
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit: {:?} {}", out.status, stderr(&out));
    assert!(stderr(&out).contains("stopped"), "{}", stderr(&out));
}

#[test]
fn the_services_catalogue_is_imported_with_a_report_and_exported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(hromada(d, &["community", "create", "--slug", "cat", "--name-uk", "Каталог"]).status.success());
    let file = d.join("cards.csv");
    std::fs::write(
        &file,
        "name_uk,documents,term,result,cost\n\
         Перша послуга,Паспорт,1 день,Довідка,\n\
         X,Паспорт,1 день,Довідка,\n\
         Друга послуга,Заява,2 дні,Рішення,150\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let imported = hromada(d, &["services", "import", file, "--community", "cat"]);
    assert!(!imported.status.success(), "a file with a bad row ends with an error");
    let out = stdout(&imported);
    assert!(out.contains("Додано: 2, оновлено: 0, з помилками: 1."), "{out}");
    assert!(out.contains("Рядок 3: Назва українською: Назва — від 3 до 300 символів."), "{out}");
    let english = hromada(d, &["services", "import", file, "--community", "cat", "--lang", "en"]);
    assert!(stdout(&english).contains("Added: 0, updated: 2, with errors: 1."), "{}", stdout(&english));
    let exported = hromada(d, &["services", "export", "--community", "cat"]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    let csv = stdout(&exported);
    assert!(csv.contains("Перша послуга") && csv.contains(",150,"), "{csv}");
    let json_file = d.join("out.json");
    let to_file = hromada(d, &["services", "export", "--community", "cat", "--out", json_file.to_str().unwrap()]);
    assert!(to_file.status.success(), "{}", stderr(&to_file));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
    assert_eq!(json["services"].as_array().unwrap().len(), 2);
    let missing = hromada(d, &["services", "import", "/no/such/file.csv", "--community", "cat"]);
    assert!(stderr(&missing).contains("cannot read"), "{}", stderr(&missing));
}

#[test]
fn a_gtfs_timetable_is_imported_from_the_command_line_with_its_problems() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(hromada(d, &["community", "create", "--slug", "gtfs", "--name-uk", "Транспорт"]).status.success());
    let file = d.join("feed.zip");
    std::fs::write(&file, hromada_transit::demo_feed(48.95, 38.49).unwrap()).unwrap();
    let imported = hromada(d, &["transit", "import", file.to_str().unwrap(), "--community", "gtfs"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let out = stdout(&imported);
    assert!(
        out.contains("Imported: 6 stops, 2 routes, 4 trips, 16 stop times.") && out.contains("No problems."),
        "{out}"
    );
    let junk = d.join("junk.zip");
    std::fs::write(&junk, b"not a zip").unwrap();
    let refused = hromada(d, &["transit", "import", junk.to_str().unwrap(), "--community", "gtfs"]);
    assert!(!refused.status.success() && stderr(&refused).contains("not a GTFS archive"), "{}", stderr(&refused));
}
