//! A real `sensate` process: it starts, answers, reports metrics, keeps query strings
//! out of its logs, and stops cleanly on SIGTERM.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::{data_dir, free_port, sensate};

/// Polls `url` until it answers 200, for at most 30 s.
async fn wait_until_ready(client: &reqwest::Client, url: &str, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(response) = client.get(url).send().await
            && response.status() == 200
        {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("sensate exited early with {status}");
        }
        assert!(Instant::now() < deadline, "sensate did not become ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn terminate(child: &Child) {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn wait_for_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "sensate did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn the_demo_serves_pages_health_and_metrics_then_stops_cleanly_on_sigterm() {
    let dir = data_dir();
    let port = free_port();
    let metrics_port = free_port();
    let mut child = sensate()
        .args([
            "demo",
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--metrics-listen",
            &format!("127.0.0.1:{metrics_port}"),
            "--log-format",
            "json",
        ])
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let server_output = crate::support::Drained::start(&mut child);
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    wait_until_ready(&client, &format!("{base}/healthz"), &mut child).await;

    // The admin pages are behind sign-in: the request lands on the sign-in page.
    let admin = client.get(format!("{base}/admin")).send().await.unwrap();
    assert_eq!(admin.status(), 200);
    assert_eq!(admin.url().path(), "/sign-in");
    assert!(admin.text().await.unwrap().contains("<h1>Sign in</h1>"));
    let search = client
        .get(format!("{base}/directory?concern=vaginismus-canary-7731"))
        .send()
        .await
        .unwrap();
    assert_eq!(search.status(), 200);

    let metrics = client
        .get(format!("http://127.0.0.1:{metrics_port}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains(r#"route="/admin""#), "{metrics}");
    assert!(
        metrics.contains("http_request_duration_seconds_bucket"),
        "{metrics}"
    );
    assert!(
        !metrics.contains("canary"),
        "metrics carry route templates, not addresses"
    );

    terminate(&child);
    let status = wait_for_exit(&mut child);
    assert!(status.success(), "graceful stop exits 0, got {status}");

    let (out, logs) = server_output.finish();
    let out = String::from_utf8(out).unwrap();
    let logs = String::from_utf8(logs).unwrap();
    assert!(
        out.contains(&format!("Open http://127.0.0.1:{port}/")),
        "{out}"
    );
    assert!(out.contains("Harbour Street Practice"), "{out}");
    for line in [
        "maya@harbour-street.example",
        "harbour street owner demo",
        "sam@client.example",
        "app key",
        "recovery",
    ] {
        assert!(
            out.contains(line),
            "the demo prints how to sign in: {line}\n{out}"
        );
    }
    assert!(
        logs.contains(r#""route":"/directory""#),
        "requests are logged at debug: {logs}"
    );
    assert!(
        !logs.contains("canary"),
        "query strings never reach the logs: {logs}"
    );
    for line in logs.lines() {
        assert!(
            serde_json::from_str::<serde_json::Value>(line).is_ok(),
            "every log line is JSON: {line}"
        );
    }
}

#[tokio::test]
async fn serve_on_an_existing_database_is_ready_and_keeps_its_data() {
    let dir = data_dir();
    let path = dir.path().to_str().unwrap();
    assert!(
        crate::support::run(&["migrate", "--data-dir", path])
            .status
            .success()
    );
    let port = free_port();
    let mut child = sensate()
        .args([
            "serve",
            "--data-dir",
            path,
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    wait_until_ready(
        &client,
        &format!("http://127.0.0.1:{port}/healthz"),
        &mut child,
    )
    .await;
    let home = client
        .get(format!("http://127.0.0.1:{port}/"))
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), 200);
    terminate(&child);
    assert!(wait_for_exit(&mut child).success());
}
