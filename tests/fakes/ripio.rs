//! A fake of Ripio's Ramp API: OAuth2 client credentials, customers with terms and KYC, quotes,
//! on-ramp orders completed by a sandbox deposit, fiat accounts, off-ramp orders; the customer's
//! transactions paged with `next` links, the off-ramp orders as a bare list by `offset`.

use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{answer, body, query, ripio_error, segments, timestamp, uuid};

pub const CLIENT_ID: &str = "fake-ripio-client";
pub const CLIENT_SECRET: &str = "fake-ripio-secret-0123456789";
/// The active terms and conditions.
pub const TERMS_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
/// Past on-ramp transactions every new customer starts with (so the list has pages).
pub const PAST_TRANSACTIONS: usize = 4;
/// Off-ramp orders the partner already has.
pub const OFF_RAMP_ORDERS: usize = 5;

/// A running fake; dropped, it stops.
pub struct RipioFake {
    server: MockServer,
    state: Arc<Mutex<State>>,
}

impl RipioFake {
    pub async fn start() -> RipioFake {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State {
            base: server.uri(),
            ..State::default()
        }));
        Mock::given(any())
            .respond_with(Router(state.clone()))
            .mount(&server)
            .await;
        RipioFake { server, state }
    }

    /// The base URL to configure a client with.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The number of customers created.
    pub fn customers(&self) -> usize {
        self.state.lock().unwrap().customers.len()
    }

    /// The statuses of the on-ramp orders, in creation order.
    pub fn order_statuses(&self) -> Vec<String> {
        let state = self.state.lock().unwrap();
        state.orders.iter().map(|o| o.status.clone()).collect()
    }
}

#[derive(Default)]
struct State {
    base: String,
    tokens: Vec<String>,
    customers: Vec<Customer>,
    quotes: Vec<Value>,
    orders: Vec<Order>,
    fiat_accounts: Vec<Value>,
    clock: usize,
}

struct Customer {
    id: String,
    email: String,
    terms_accepted: bool,
    kyc_submitted: bool,
    /// Past and present on-ramp transactions, `CustomerOnRampTransaction`s.
    transactions: Vec<Value>,
}

struct Order {
    customer: String,
    transaction: Value,
    status: String,
}

struct Router(Arc<Mutex<State>>);

impl Respond for Router {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.0.lock().unwrap();
        state.clock += 1;
        state.route(request)
    }
}

impl State {
    fn route(&mut self, request: &Request) -> ResponseTemplate {
        let method = request.method.as_str();
        let path = segments(request);
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        if path == ["oauth2", "token"] && method == "POST" {
            return self.token(request);
        }
        if !self.authorized(request) {
            return ripio_error(
                401,
                40001,
                "NotAuthenticated",
                "Authentication credentials were not provided.",
            );
        }
        match (method, path.as_slice()) {
            ("POST", ["api", "v1", "customers"]) => self.create_customer(request),
            ("GET", ["api", "v1", "termsAndConditions"]) => answer(200, terms()),
            ("POST", ["api", "v1", "customers", id, "acceptTerms"]) => {
                self.accept_terms(id, request)
            }
            ("GET", ["api", "v1", "customers", id, "termsAcceptance"]) => self.terms_status(id),
            ("POST", ["api", "v1", "customers", id, "checkKyc"]) => self.check_kyc(id),
            ("GET", ["api", "v1", "kycRequirements"]) => answer(200, kyc_requirements()),
            ("POST", ["api", "v1", "customers", id, "kyc"]) => self.submit_kyc(id, request),
            ("GET", ["api", "v1", "customers", id, "kycSubmissions"]) => self.latest_kyc(id),
            ("POST", ["api", "v1", "quotes"]) => self.create_quote(request),
            ("POST", ["api", "v1", "onramp"]) => self.create_order(request),
            ("POST", ["api", "v1", "simulateDeposit"]) => self.simulate_deposit(request),
            ("GET", ["api", "v1", "customers", id, "transactions", "onramp"]) => {
                self.customer_transactions(id, request)
            }
            ("GET", ["api", "v1", "fiatAccounts", "requirements"]) => {
                match query(request, "paymentMethod") {
                    Some(_) => answer(200, fiat_requirements()),
                    None => {
                        ripio_error(400, 40000, "ValidationError", "paymentMethod is required.")
                    }
                }
            }
            ("POST", ["api", "v1", "fiatAccounts"]) => self.create_fiat_account(request),
            ("POST", ["api", "v1", "fiatAccounts", id, "confirm"]) => self.confirm_fiat_account(id),
            ("GET", ["api", "v1", "offramp"]) => self.off_ramp_orders(request),
            _ => not_found(),
        }
    }

    /// `POST /oauth2/token/`: HTTP Basic client credentials, `grant_type=client_credentials`.
    fn token(&mut self, request: &Request) -> ResponseTemplate {
        let expected = format!(
            "Basic {}",
            STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
        );
        let basic = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        let form = String::from_utf8_lossy(&request.body);
        if basic != Some(expected.as_str()) || !form.contains("grant_type=client_credentials") {
            return ripio_error(
                401,
                40001,
                "NotAuthenticated",
                "Invalid client credentials.",
            );
        }
        let token = format!("fake-token-{}", self.tokens.len() + 1);
        self.tokens.push(token.clone());
        answer(
            200,
            json!({"accessToken": token, "expiresIn": 36000, "tokenType": "Bearer", "scope": "read write"}),
        )
    }

    fn authorized(&self, request: &Request) -> bool {
        let header = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        header
            .and_then(|h| h.strip_prefix("Bearer "))
            .is_some_and(|token| self.tokens.iter().any(|t| t == token))
    }

    fn customer(&mut self, id: &str) -> Option<&mut Customer> {
        self.customers.iter_mut().find(|c| c.id == id)
    }

    fn create_customer(&mut self, request: &Request) -> ResponseTemplate {
        let body = body(request).unwrap_or(Value::Null);
        let (Some(email), Some("INDIVIDUAL" | "BUSINESS")) =
            (body["email"].as_str(), body["type"].as_str())
        else {
            return ripio_error(
                400,
                40000,
                "ValidationError",
                "email and type are required.",
            );
        };
        let n = self.customers.len();
        let id = uuid(1, n);
        let transactions = (0..PAST_TRANSACTIONS)
            .map(|i| {
                json!({
                    "transactionId": uuid(2, n * 100 + i),
                    "type": "ONRAMP",
                    "status": "COMPLETED",
                    "createdAt": timestamp(i),
                    "fromAmount": "1000.00",
                    "toAmount": "1.23456789",
                    "fromCurrency": "ARS",
                    "toCurrency": "USDC",
                    "chain": "POLYGON",
                    "txnHash": format!("0x{i:064x}"),
                    "paymentMethodType": "bank_transfer",
                })
            })
            .collect();
        self.customers.push(Customer {
            id: id.clone(),
            email: email.to_string(),
            terms_accepted: false,
            kyc_submitted: false,
            transactions,
        });
        answer(
            201,
            json!({"customerId": id, "email": email, "createdAt": timestamp(self.clock)}),
        )
    }

    fn accept_terms(&mut self, id: &str, request: &Request) -> ResponseTemplate {
        let body = body(request).unwrap_or(Value::Null);
        let now = timestamp(self.clock);
        let Some(customer) = self.customer(id) else {
            return not_found();
        };
        if body["termsId"] != TERMS_ID || !body["ipAddress"].is_string() {
            return ripio_error(400, 40000, "ValidationError", "Unknown termsId.");
        }
        customer.terms_accepted = true;
        answer(
            201,
            json!({"termsId": TERMS_ID, "ipAddress": body["ipAddress"], "userAgent": body["userAgent"], "acceptedAt": now}),
        )
    }

    fn terms_status(&mut self, id: &str) -> ResponseTemplate {
        let Some(customer) = self.customer(id) else {
            return not_found();
        };
        let accepted = customer.terms_accepted;
        answer(
            200,
            json!({"termsId": TERMS_ID, "country": "AR", "version": "1.0",
                   "url": "https://example.com/terms/v1.0", "accepted": accepted,
                   "acceptedAt": accepted.then(|| timestamp(1))}),
        )
    }

    fn check_kyc(&mut self, id: &str) -> ResponseTemplate {
        let Some(customer) = self.customer(id) else {
            return not_found();
        };
        if customer.kyc_submitted {
            return ripio_error(
                400,
                20015,
                "KycAlreadyApprovedException",
                "KYC already approved by partner.",
            );
        }
        let message = format!(
            "KYC for customer '{} - {}' is not approved.",
            customer.id, customer.email
        );
        ripio_error(400, 20007, "KycNotApprovedException", &message)
    }

    fn submit_kyc(&mut self, id: &str, request: &Request) -> ResponseTemplate {
        let now = timestamp(self.clock);
        let submitted = body(request);
        let Some(customer) = self.customer(id) else {
            return not_found();
        };
        let complete = submitted.as_ref().is_some_and(|b| {
            ["legalFirstName", "lastName", "dateOfBirth", "idNumber"]
                .iter()
                .all(|field| b[field].is_string())
        });
        if !complete {
            return ripio_error(400, 40000, "ValidationError", "Missing KYC fields.");
        }
        customer.kyc_submitted = true;
        answer(
            201,
            json!({"submissionId": uuid(3, 0), "createdAt": now,
                   "providerUrl": "https://kyc.example.com/session/1"}),
        )
    }

    fn latest_kyc(&mut self, id: &str) -> ResponseTemplate {
        let Some(customer) = self.customer(id) else {
            return not_found();
        };
        if !customer.kyc_submitted {
            return not_found();
        }
        let id = customer.id.clone();
        answer(
            200,
            json!({"customerId": id, "status": "COMPLETED", "createdAt": timestamp(2)}),
        )
    }

    fn create_quote(&mut self, request: &Request) -> ResponseTemplate {
        let body = body(request).unwrap_or(Value::Null);
        let fields = [
            "fromCurrency",
            "toCurrency",
            "fromAmount",
            "chain",
            "paymentMethodType",
        ];
        if !fields.iter().all(|f| body[f].is_string()) {
            return ripio_error(400, 40000, "ValidationError", "Missing quote fields.");
        }
        let Ok(amount) = body["fromAmount"].as_str().unwrap_or("").parse::<f64>() else {
            return ripio_error(400, 40000, "ValidationError", "fromAmount is not a number.");
        };
        let quote = json!({
            "quoteId": uuid(4, self.quotes.len()),
            "fromCurrency": body["fromCurrency"],
            "toCurrency": body["toCurrency"],
            "fromAmount": format!("{amount:.8}"),
            "finalFromAmount": format!("{:.8}", amount - 100.0),
            "toAmount": format!("{:.8}", amount / 1050.0),
            "finalToAmount": format!("{:.8}", (amount - 100.0) / 1050.0),
            "rate": "1050.00000000",
            "expiration": timestamp(self.clock + 10),
            "chain": body["chain"],
            "paymentMethodType": body["paymentMethodType"],
            "fees": [{"amount": "100.00", "type": "Service Fee", "currency": body["fromCurrency"],
                      "appliesOnFromAmount": true, "appliesOnToAmount": false}],
        });
        self.quotes.push(quote.clone());
        let mut shown = quote;
        if let Some(object) = shown.as_object_mut() {
            object.shift_remove("chain");
            object.shift_remove("paymentMethodType");
        }
        answer(201, shown)
    }

    fn create_order(&mut self, request: &Request) -> ResponseTemplate {
        let body = body(request).unwrap_or(Value::Null);
        let quote = self
            .quotes
            .iter()
            .find(|q| q["quoteId"] == body["quoteId"])
            .cloned();
        let customer_id = body["customerId"].as_str().unwrap_or("").to_string();
        let now = timestamp(self.clock);
        let count = self.orders.len();
        let Some(customer) = self.customer(&customer_id) else {
            return ripio_error(400, 40000, "ValidationError", "Unknown customer.");
        };
        let Some(quote) = quote else {
            return ripio_error(400, 40000, "ValidationError", "Unknown quote.");
        };
        if !customer.terms_accepted || !customer.kyc_submitted {
            return ripio_error(
                400,
                20010,
                "CustomerNotReadyException",
                "The customer must accept the terms and pass KYC first.",
            );
        }
        let transaction = json!({
            "transactionId": uuid(5, count),
            "createdAt": now,
            "customerId": customer_id,
            "quoteId": quote["quoteId"],
            "fromCurrency": quote["fromCurrency"],
            "toCurrency": quote["toCurrency"],
            "amount": quote["fromAmount"],
            "chain": quote["chain"],
            "metadata": {},
            "txnHash": null,
            "paymentMethodType": quote["paymentMethodType"],
            "depositAddress": body["depositAddress"],
            "status": "DEPOSIT_PENDING",
            "externalRef": body["externalRef"],
        });
        customer.transactions.push(json!({
            "transactionId": transaction["transactionId"],
            "type": "ONRAMP",
            "status": "DEPOSIT_PENDING",
            "createdAt": now,
            "fromAmount": quote["fromAmount"],
            "toAmount": quote["toAmount"],
            "fromCurrency": quote["fromCurrency"],
            "toCurrency": quote["toCurrency"],
            "chain": quote["chain"],
            "txnHash": null,
            "paymentMethodType": quote["paymentMethodType"],
        }));
        self.orders.push(Order {
            customer: customer_id,
            transaction: transaction.clone(),
            status: "DEPOSIT_PENDING".into(),
        });
        answer(
            201,
            json!({"transaction": transaction,
                   "fiatPaymentInstructions": {"cvu": "0100000000000000000001", "alias": "juan.perez.ramp"}}),
        )
    }

    /// A sandbox deposit completes every pending order paid with that method.
    fn simulate_deposit(&mut self, request: &Request) -> ResponseTemplate {
        let body = body(request).unwrap_or(Value::Null);
        let (Some(method), Some(_)) = (body["paymentMethodType"].as_str(), body["amount"].as_f64())
        else {
            return ripio_error(
                400,
                40000,
                "ValidationError",
                "paymentMethodType and amount are required.",
            );
        };
        let mut completed = Vec::new();
        for order in &mut self.orders {
            if order.status == "DEPOSIT_PENDING" && order.transaction["paymentMethodType"] == method
            {
                order.status = "COMPLETED".into();
                completed.push((
                    order.customer.clone(),
                    order.transaction["transactionId"].clone(),
                ));
            }
        }
        if completed.is_empty() {
            return ripio_error(
                400,
                20020,
                "NoPendingOrderException",
                "No order awaits this deposit.",
            );
        }
        for (customer, transaction) in completed {
            if let Some(customer) = self.customer(&customer) {
                for t in &mut customer.transactions {
                    if t["transactionId"] == transaction {
                        t["status"] = json!("COMPLETED");
                        t["txnHash"] = json!(format!("0x{:064x}", 42));
                    }
                }
            }
        }
        answer(200, json!({}))
    }

    fn customer_transactions(&mut self, id: &str, request: &Request) -> ResponseTemplate {
        let base = self.base.clone();
        let Some(customer) = self.customer(id) else {
            return not_found();
        };
        let (limit, offset) = limit_offset(request);
        let all = &customer.transactions;
        let page: Vec<Value> = all.iter().skip(offset).take(limit).cloned().collect();
        let link = |offset: usize| {
            format!(
                "{base}/api/v1/customers/{id}/transactions/onramp/?limit={limit}&offset={offset}"
            )
        };
        let next = (offset + limit < all.len()).then(|| link(offset + limit));
        let previous = (offset > 0).then(|| link(offset.saturating_sub(limit)));
        answer(
            200,
            json!({"count": all.len(), "next": next, "previous": previous, "transactions": page}),
        )
    }

    fn create_fiat_account(&mut self, request: &Request) -> ResponseTemplate {
        let body = body(request).unwrap_or(Value::Null);
        let customer_id = body["customerId"].as_str().unwrap_or("").to_string();
        let now = timestamp(self.clock);
        if self.customer(&customer_id).is_none()
            || !body["paymentMethodType"].is_string()
            || !body["accountFields"].is_object()
        {
            return ripio_error(400, 40000, "ValidationError", "Invalid fiat account.");
        }
        let account = json!({
            "fiatAccountId": uuid(6, self.fiat_accounts.len()),
            "fiatAccountFields": body["accountFields"],
            "createdAt": now,
            "status": "PROCESSING",
            "paymentMethodType": body["paymentMethodType"],
            "customerId": customer_id,
        });
        self.fiat_accounts.push(account.clone());
        answer(201, account)
    }

    fn confirm_fiat_account(&mut self, id: &str) -> ResponseTemplate {
        let Some(account) = self
            .fiat_accounts
            .iter_mut()
            .find(|a| a["fiatAccountId"] == id)
        else {
            return not_found();
        };
        account["status"] = json!("ENABLED");
        let mut confirmed = account.clone();
        confirmed["metadata"] = json!({});
        answer(200, confirmed)
    }

    /// The partner's off-ramp orders, a bare list paged by `limit`/`offset`.
    fn off_ramp_orders(&mut self, request: &Request) -> ResponseTemplate {
        let (limit, offset) = limit_offset(request);
        let orders: Vec<Value> = (0..OFF_RAMP_ORDERS)
            .skip(offset)
            .take(limit)
            .map(|n| {
                json!({
                    "transactionId": uuid(7, n),
                    "createdAt": timestamp(n),
                    "customerId": uuid(1, 0),
                    "quoteId": uuid(4, 900 + n),
                    "fromCurrency": "USDC",
                    "toCurrency": "ARS",
                    "amount": "10.00",
                    "chain": "ETHEREUM",
                    "status": "COMPLETED",
                    "txnHash": format!("0x{n:064x}"),
                })
            })
            .collect();
        answer(200, Value::Array(orders))
    }
}

/// `limit` (default 10) and `offset` (default 0) of a list request.
fn limit_offset(request: &Request) -> (usize, usize) {
    let limit = query(request, "limit")
        .and_then(|l| l.parse().ok())
        .filter(|l| *l > 0)
        .unwrap_or(10);
    let offset = query(request, "offset")
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    (limit, offset)
}

fn not_found() -> ResponseTemplate {
    ripio_error(404, 40004, "NotFound", "Not found.")
}

fn terms() -> Value {
    json!({"termsId": TERMS_ID, "country": "AR", "version": "1.0", "url": "https://example.com/terms/v1.0"})
}

fn kyc_requirements() -> Value {
    json!({"kycRequiredFields": [
        {"fieldName": "legalFirstName", "required": true, "type": "TEXT"},
        {"fieldName": "lastName", "required": true, "type": "TEXT"},
        {"fieldName": "dateOfBirth", "required": true, "type": "DATE"},
        {"fieldName": "idNumber", "required": true, "type": "TEXT"}
    ]})
}

fn fiat_requirements() -> Value {
    json!([{"fieldName": "alias_or_cvu_destination", "required": true, "type": "TEXT"}])
}
