//! A fake of Fonbnk's merchant API (off-ramp): every request signed with the merchant's key; best
//! offers with the fields a user must give, their validation, orders created, confirmed with
//! the transaction hash and read back; the merchant's orders paged by `cursor`/`limit`.

use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{answer, body, query, segments, timestamp};

pub const CLIENT_ID: &str = "fake-fonbnk-merchant";
/// The merchant's signing secret (base64).
pub const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
/// Orders the merchant already has.
pub const PAST_ORDERS: usize = 4;

pub struct FonbnkFake {
    server: MockServer,
    state: Arc<Mutex<State>>,
}

impl FonbnkFake {
    pub async fn start() -> FonbnkFake {
        let server = MockServer::start().await;
        let orders = (0..PAST_ORDERS)
            .map(|n| {
                order(
                    &format!("order-{n}"),
                    "offer-0",
                    "0xpast",
                    5.0,
                    "offramp_success",
                    n,
                )
            })
            .collect();
        let state = Arc::new(Mutex::new(State { orders, clock: 0 }));
        Mock::given(any())
            .respond_with(Router(state.clone()))
            .mount(&server)
            .await;
        FonbnkFake { server, state }
    }

    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The statuses of every order, oldest first.
    pub fn order_statuses(&self) -> Vec<String> {
        let state = self.state.lock().unwrap();
        state
            .orders
            .iter()
            .map(|o| o["status"].as_str().unwrap_or("").to_string())
            .collect()
    }
}

struct State {
    /// `OfframpOrder`s, oldest first.
    orders: Vec<Value>,
    clock: usize,
}

struct Router(Arc<Mutex<State>>);

impl Respond for Router {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.0.lock().unwrap();
        state.clock += 1;
        if !signed(request) {
            return answer(401, json!({"message": "Invalid signature"}));
        }
        let path = segments(request);
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        match (request.method.as_str(), path.as_slice()) {
            ("GET", ["api", "offramp", "best-offer"]) => best_offer(request),
            ("POST", ["api", "offramp", "validate-fields"]) => validate_fields(request),
            ("POST", ["api", "offramp", "create-order"]) => state.create_order(request),
            ("POST", ["api", "offramp", "confirm-order"]) => state.confirm_order(request),
            ("GET", ["api", "offramp", "order", id]) => match state.find(id) {
                Some(order) => answer(200, order.clone()),
                None => answer(404, json!({"message": "Order not found"})),
            },
            ("GET", ["api", "offramp", "orders"]) => state.list_orders(request),
            _ => answer(404, json!({"message": "Not found"})),
        }
    }
}

/// `x-signature` is `base64(HMAC-SHA256(base64-decoded secret, "{x-timestamp}:{path}?{query}"))`
/// and `x-client-id` is the merchant's.
pub fn signed(request: &Request) -> bool {
    let text = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(CLIENT_ID), Some(timestamp), Some(signature)) = (
        text("x-client-id"),
        text("x-timestamp"),
        text("x-signature"),
    ) else {
        return false;
    };
    let Ok(signature) = STANDARD.decode(signature) else {
        return false;
    };
    let endpoint = match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_owned(),
    };
    let key = STANDARD.decode(SECRET).expect("the secret is base64");
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).expect("any key size");
    mac.update(format!("{timestamp}:{endpoint}").as_bytes());
    mac.verify_slice(&signature).is_ok()
}

fn bad_request(message: &str) -> ResponseTemplate {
    answer(400, json!({"message": message}))
}

fn best_offer(request: &Request) -> ResponseTemplate {
    let required = [
        "amount",
        "currency",
        "countryIsoCode",
        "paymentChannel",
        "network",
        "asset",
    ];
    if required.iter().any(|name| query(request, name).is_none()) {
        return bad_request(
            "amount, currency, countryIsoCode, paymentChannel, network and asset are required",
        );
    }
    let amount: f64 = query(request, "amount")
        .and_then(|a| a.parse().ok())
        .unwrap_or(0.0);
    answer(
        200,
        json!({
            "quoteId": "offer-1",
            "offer": {
                "paymentChannel": query(request, "paymentChannel"),
                "countryIsoCode": query(request, "countryIsoCode"),
                "currencyIsoCode": "NGN",
                "exchangeRate": 1500.0,
                "requiredFields": {
                    "bank_code": {"type": "enum", "label": "Bank", "required": true,
                                  "options": [{"value": "044", "label": "Access Bank"}]},
                    "account_number": {"type": "string", "label": "Account number", "required": true}
                }
            },
            "cashout": {"localCurrencyAmount": amount * 1500.0, "usdAmount": amount,
                        "feeAmountUsd": 0.5, "cryptoAmount": amount}
        }),
    )
}

fn validate_fields(request: &Request) -> ResponseTemplate {
    let body = body(request).unwrap_or(Value::Null);
    if body["offerId"] != "offer-1" {
        return bad_request("Unknown offerId");
    }
    let fields = &body["requiredFields"];
    if !fields["bank_code"].is_string() || !fields["account_number"].is_string() {
        return bad_request("bank_code and account_number are required");
    }
    answer(
        200,
        json!({"details": [{"label": "Account name", "value": "ADA LOVELACE"}]}),
    )
}

fn order(id: &str, offer: &str, address: &str, amount: f64, status: &str, n: usize) -> Value {
    json!({
        "_id": id,
        "offerId": offer,
        "paymentType": "CRYPTO_WALLET",
        "network": "POLYGON",
        "asset": "USDC",
        "exchangeRate": 1500.0,
        "cashout": {"localCurrencyAmount": amount * 1500.0, "usdAmount": amount, "cryptoAmount": amount},
        "fromAddress": address,
        "toAddress": "0x0000000000000000000000000000000000f0b0bc",
        "status": status,
        "createdAt": timestamp(n),
        "expiresAt": timestamp(n + 30),
        "statusHistory": [{"status": status, "changedAt": timestamp(n)}],
        "countryIsoCode": "NG",
        "currencyIsoCode": "NGN",
    })
}

impl State {
    fn find(&self, id: &str) -> Option<&Value> {
        self.orders.iter().find(|o| o["_id"] == id)
    }

    fn create_order(&mut self, request: &Request) -> ResponseTemplate {
        let body = body(request).unwrap_or(Value::Null);
        let fields = [
            "offerId",
            "paymentType",
            "network",
            "asset",
            "address",
            "currency",
        ];
        if fields.iter().any(|f| !body[f].is_string()) || !body["amount"].is_number() {
            return bad_request(
                "offerId, paymentType, network, asset, address, currency and amount are required",
            );
        }
        if body["offerId"] != "offer-1" {
            return bad_request("Unknown offerId");
        }
        let id = format!("order-{}", self.orders.len());
        let mut created = order(
            &id,
            "offer-1",
            body["address"].as_str().unwrap_or(""),
            body["amount"].as_f64().unwrap_or(0.0),
            "initiated",
            self.clock,
        );
        if let Some(params) = body["orderParams"].as_str() {
            created["orderParams"] = json!(params);
        }
        self.orders.push(created.clone());
        answer(200, created)
    }

    fn confirm_order(&mut self, request: &Request) -> ResponseTemplate {
        let body = body(request).unwrap_or(Value::Null);
        let (Some(id), Some(hash)) = (body["orderId"].as_str(), body["hash"].as_str()) else {
            return bad_request("orderId and hash are required");
        };
        let now = timestamp(self.clock);
        let Some(order) = self.orders.iter_mut().find(|o| o["_id"] == id) else {
            return answer(404, json!({"message": "Order not found"}));
        };
        if order["status"] != "initiated" {
            return bad_request("The order is not awaiting confirmation");
        }
        order["status"] = json!("transaction_confirmed");
        order["hash"] = json!(hash);
        if let Some(history) = order["statusHistory"].as_array_mut() {
            history.push(json!({"status": "transaction_confirmed", "changedAt": now}));
        }
        answer(200, order.clone())
    }

    /// Newest first, `limit` at a time; the cursor is the id of the last order given.
    fn list_orders(&mut self, request: &Request) -> ResponseTemplate {
        let Some(limit) = query(request, "limit").and_then(|l| l.parse::<usize>().ok()) else {
            return bad_request("limit is required");
        };
        let newest_first: Vec<&Value> = self.orders.iter().rev().collect();
        let start = match query(request, "cursor") {
            Some(cursor) => match newest_first
                .iter()
                .position(|o| o["_id"] == cursor.as_str())
            {
                Some(index) => index + 1,
                None => return bad_request("Unknown cursor"),
            },
            None => 0,
        };
        let page: Vec<Value> = newest_first
            .iter()
            .skip(start)
            .take(limit.max(1))
            .map(|o| (*o).clone())
            .collect();
        let more = start + page.len() < newest_first.len();
        let next = more
            .then(|| page.last().map(|o| o["_id"].clone()))
            .flatten();
        answer(200, json!({"nextCursor": next, "list": page}))
    }
}
