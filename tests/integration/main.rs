//! The integration tests, as one test binary: each module runs the real `kpi-report` binary
//! on inputs written in a temp folder per test and reads its outputs back, with the shared
//! harness in `support`.

mod support;

mod architecture;
mod cli;
mod delivery;
mod foundation;
mod html_summary;
mod init_eml;
mod layouts;
mod messages;
mod months;
mod no_target;
mod reliability;
mod robustness;
mod sources;
mod table_shapes;
mod xlsb;
mod xlsx_report;
mod yojitsu;
