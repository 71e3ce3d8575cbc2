use std::process::ExitCode;

use clap::Parser;
use preau::cli::{Cli, Command};
use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The allocator of the whole process (see `memory.rs` for why). The `system-allocator`
/// feature leaves the C library's malloc in place, so that a heap profiler that intercepts
/// malloc (heaptrack, valgrind's massif) sees every allocation with its call stack.
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // PREAU_LOG reads « level » or « target=level,… » (tracing's `Targets`, which needs no
    // regex engine in the binary); unset or unreadable, the default below.
    let filter = std::env::var("PREAU_LOG")
        .ok()
        .and_then(|v| v.parse::<Targets>().ok())
        .unwrap_or_else(|| {
            Targets::new()
                .with_default(Level::INFO)
                .with_target("poem", Level::WARN)
                .with_target("mdns_sd", Level::WARN)
        });
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_target(false))
        .with(filter)
        .init();
    let data_dir = cli
        .data_dir
        .clone()
        .unwrap_or_else(preau::config::default_data_dir);
    let result = match &cli.command {
        Command::Serve(over) => serve(data_dir, over),
        Command::Setup(args) => preau::cli::setup(&data_dir, args),
        Command::Demo(args) => match preau::cli::demo(&data_dir, args) {
            Ok(()) if args.no_serve => Ok(()),
            Ok(()) => serve(data_dir, &args.serve),
            Err(e) => Err(e),
        },
        Command::User { command } => preau::cli::user(&data_dir, command),
        Command::Import {
            command: preau::cli::ImportCommand::Onde(args),
        } => preau::cli::import_onde(&data_dir, args),
        Command::Backup { out } => preau::cli::backup(&data_dir, out.as_deref()),
        Command::Restore { file } => preau::cli::restore(&data_dir, file),
        Command::Archive { classe, annee, out } => {
            preau::cli::archive(&data_dir, classe.as_deref(), annee.as_deref(), out)
        }
        Command::Lsu {
            command:
                preau::cli::LsuCommand::Export {
                    periode,
                    classe,
                    out,
                },
        } => preau::cli::lsu_export(&data_dir, *periode, classe.as_deref(), out),
        Command::MdnsCheck { hostname, timeout } => preau::cli::mdns_check(hostname, *timeout),
        Command::Check { reindex } => match preau::cli::check(&data_dir, *reindex) {
            Ok(true) => Ok(()),
            Ok(false) => return ExitCode::from(2),
            Err(e) => Err(e),
        },
        Command::Healthcheck => {
            preau::cli::settings_for(&data_dir).and_then(|s| preau::fleet::cli::healthcheck(&s))
        }
        Command::Fleet { command } => match preau::fleet::cli::run(command) {
            Ok(true) => Ok(()),
            Ok(false) => return ExitCode::from(2),
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve(data_dir: std::path::PathBuf, over: &preau::config::ServeOverrides) -> anyhow::Result<()> {
    let file = preau::config::read_file(&data_dir)?;
    let settings = preau::config::resolve(data_dir, file, over)?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        let running = preau::app::start(settings).await?;
        wait_for_signal().await;
        tracing::info!("arrêt demandé");
        running.shutdown().await
    })
}

async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
