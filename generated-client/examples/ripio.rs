//! The first calls a Ripio integration makes: exchange client credentials for an access token,
//! then check a customer's KYC status (which sends them an OTP when Ripio already approved them).
//!
//! ```sh
//! RIPIO_BASE_URL=https://skala-sandbox.ripio.com RIPIO_CLIENT_ID=… RIPIO_CLIENT_SECRET=… \
//! RIPIO_CUSTOMER_ID=8142b065-79c4-4f48-9e33-11b17bc658d4 cargo run -p generated-client --example ripio
//! ```
//!
//! Prints the typed result or the typed API error and exits 0; any other failure (missing
//! variable, network, undecodable answer) exits 1 with the error.

use std::process::ExitCode;

use generated_client::ripio::{self, operations::CheckKycAndSendOtp};
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
    std::env::var(name).map_err(|_| format!("set {name} (see the top of examples/ripio.rs)"))
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = env("RIPIO_BASE_URL")?;
    let base_url = base_url.trim_end_matches('/');
    let customer_id = env("RIPIO_CUSTOMER_ID")?
        .parse()
        .map_err(|e| format!("RIPIO_CUSTOMER_ID is not a UUID: {e}"))?;

    let credentials = ripio::client_credentials(
        base_url,
        env("RIPIO_CLIENT_ID")?,
        env("RIPIO_CLIENT_SECRET")?,
    );
    credentials.token().await?;
    println!("access token obtained");

    let client = ripio::Client::new(ClientConfig::new(base_url).auth(credentials))?;
    match client
        .check_kyc_and_send_otp(&CheckKycAndSendOtp { customer_id })
        .await
    {
        Ok(success) => println!("KYC approved at Ripio, OTP sent: {success:?}"),
        Err(Error::Api { status, error }) => println!("Ripio answered {status}: {error:?}"),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
