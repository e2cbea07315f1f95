//! Finds out whether LibreOffice (`soffice`) runs here, for the tests that recalculate a
//! generated workbook with it: without it they are reported as ignored (`cfg(soffice)` is not
//! set), not passed silently. CI sets `KPI_REPORT_REQUIRE_SOFFICE=1`, which makes a missing
//! LibreOffice a build error instead, so those tests cannot be skipped there.

use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(soffice)");
    println!("cargo::rerun-if-env-changed=KPI_REPORT_REQUIRE_SOFFICE");
    println!("cargo::rerun-if-env-changed=PATH");
    // Installing or removing LibreOffice changes a folder of PATH: look again then.
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path).filter(|d| d.is_dir()) {
            println!("cargo::rerun-if-changed={}", dir.display());
        }
    }
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        println!("cargo::rustc-cfg=soffice");
    } else if std::env::var("KPI_REPORT_REQUIRE_SOFFICE").is_ok_and(|v| v == "1") {
        panic!(
            "KPI_REPORT_REQUIRE_SOFFICE=1 but soffice does not run: install LibreOffice \
             (apt-get install -y libreoffice-calc-nogui) so the recalculation tests run"
        );
    }
}
