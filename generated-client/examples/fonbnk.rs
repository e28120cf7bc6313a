//! The first call a Fonbnk integration makes: read a user's KYC state, with every request
//! signed (`x-client-id`, `x-timestamp`, `x-signature`).
//!
//! ```sh
//! FONBNK_BASE_URL=https://sandbox-api.fonbnk.com FONBNK_CLIENT_ID=… FONBNK_CLIENT_SECRET=… \
//! FONBNK_EMAIL=user@example.com cargo run -p generated-client --example fonbnk
//! ```
//!
//! Prints the typed result or the typed API error and exits 0; any other failure (missing
//! variable, a client secret that is not base64, network, undecodable answer) exits 1.

use std::process::ExitCode;

use generated_client::fonbnk::{self, operations::GetKycState};
use generated_client::runtime::{ClientConfig, Error};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name} (see the top of examples/fonbnk.rs)"))
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let signer = fonbnk::signer(env("FONBNK_CLIENT_ID")?, &env("FONBNK_CLIENT_SECRET")?)?;
    let client = fonbnk::Client::new(ClientConfig::new(env("FONBNK_BASE_URL")?).auth(signer))?;
    let request = GetKycState {
        email: Some(env("FONBNK_EMAIL")?),
        ..Default::default()
    };
    match client.get_kyc_state(&request).await {
        Ok(state) => println!("{state:#?}"),
        Err(Error::Api { status, error }) => println!("Fonbnk answered {status}: {error:?}"),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
