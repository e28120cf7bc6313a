//! When the providers' docs change: `cargo xtask import` takes the OpenAPI document out of each
//! documentation page and merges it into the spec; `cargo xtask gen` reports what changed for
//! users of the generated client. The seed pages in `tests/docs_pages/` are the pages today's
//! specs were taken from; the other pages there are saved pages of both providers' layouts
//! (Ripio's Mintlify pages with prose and components before the block, Fonbnk's GitBook pages
//! with a second, non-JSON fence after it).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use xtask::changes::ApiChanges;
use xtask::import::{extract, import, ImportError};
use xtask::{workspace_root, SpecFiles};

const RIPIO_PAGE: &str = "ripio-check-kyc.md";
const FONBNK_PAGE: &str = "fonbnk-kyc.md";

/// A fresh, empty workspace root for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("docs_update")
        .join(test);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn seed(name: &str) -> PathBuf {
    workspace_root().join("tests/docs_pages").join(name)
}

/// Writes a synthetic page (Ripio's layout: a four-backtick fence with extra words) and returns
/// its path.
fn page(root: &Path, name: &str, yaml: &str) -> PathBuf {
    let path = root.join("pages").join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = format!(
        "# A page\n\nSome prose.\n\n## OpenAPI\n\n````yaml ramps-api/openapi.json GET /x\n{yaml}````\n"
    );
    fs::write(&path, text).unwrap();
    path
}

fn spec_value(root: &Path, spec: &str) -> Value {
    let text = fs::read_to_string(root.join(spec)).expect("spec written");
    codegen::load::load(&text, codegen::load::Format::detect(spec, &text))
        .expect("merged spec loads")
        .value
}

const HEADER: &str = "openapi: 3.1.0\ninfo:\n  title: Ripio Ramp API\n  version: v1\n";

const CUSTOMER_ID: &str = "    CustomerId:
      name: customerId
      in: path
      required: true
      description: Unique identifier for the customer.
      schema:
        type: string
        format: uuid
      example: 8142b065-79c4-4f48-9e33-11b17bc658d4
";

const ERROR_RESPONSE: &str = "    ErrorResponse:
      type: object
      properties:
        code:
          type: integer
          description: Application-specific error code.
        type:
          type: string
          description: Type of error or exception.
        detail:
          type: object
          properties:
            message:
              type: string
              description: Detailed error message.
          additionalProperties: true
        status:
          type: integer
          description: HTTP status code.
      required:
        - code
        - type
        - detail
        - status
";

/// A second Ripio operation that shares `CustomerId` and `ErrorResponse` with the seed page.
fn get_customer_page(error_response: &str) -> String {
    format!(
        "{HEADER}paths:
  /api/v1/customers/{{customerId}}/:
    get:
      summary: Get customer
      operationId: getCustomer
      parameters:
        - $ref: '#/components/parameters/CustomerId'
      responses:
        '200':
          description: The customer.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Customer'
        '404':
          description: Not found.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
components:
  parameters:
{CUSTOMER_ID}  schemas:
    Customer:
      type: object
      properties:
        customerId:
          type: string
        email:
          type: string
      required:
        - customerId
{error_response}"
    )
}

#[test]
fn seed_pages_into_empty_specs_reproduce_todays_specs() {
    let root = scratch("seeds");
    for (provider, page, spec) in [
        ("ripio", RIPIO_PAGE, "specs/ripio.yaml"),
        ("fonbnk", FONBNK_PAGE, "specs/fonbnk.json"),
    ] {
        import(&root, provider, &[seed(page)], false).expect("the seed page imports");
        let imported = fs::read(root.join(spec)).unwrap();
        let today = fs::read(workspace_root().join(spec)).unwrap();
        assert!(
            imported == today,
            "{spec} differs from the one imported from {page}"
        );
        let kept = root.join("specs/sources").join(provider).join(page);
        assert_eq!(fs::read(kept).unwrap(), fs::read(seed(page)).unwrap());
    }
}

#[test]
fn every_saved_page_yields_its_one_document() {
    let dir = workspace_root().join("tests/docs_pages");
    let mut pages: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/docs_pages")
        .map(|entry| entry.expect("a page").path())
        .collect();
    pages.sort();
    assert!(pages.len() >= 4, "{pages:?}");
    for page in pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&page).unwrap();
        let extracted = extract(&name, &text).unwrap_or_else(|e| panic!("{e}"));
        let openapi = extracted.value["openapi"].as_str().unwrap_or_default();
        assert!(openapi.starts_with("3."), "{name}: openapi {openapi:?}");
        let paths = extracted.value["paths"].as_object().map_or(0, |p| p.len());
        assert_eq!(paths, 1, "{name}: one operation's page, one path");
        // The fence line is where the block opens in the page.
        let fence = text
            .lines()
            .nth(extracted.fence_line - 1)
            .unwrap_or_default();
        assert!(
            fence.starts_with("```"),
            "{name}:{}: {fence}",
            extracted.fence_line
        );
    }
}

#[test]
fn a_second_page_sharing_components_merges_cleanly() {
    let root = scratch("second_page");
    import(&root, "ripio", &[seed(RIPIO_PAGE)], false).unwrap();
    let second = page(&root, "get-customer.md", &get_customer_page(ERROR_RESPONSE));
    let imported = import(&root, "ripio", &[second], false).expect("merges without conflict");
    assert!(
        imported
            .lines
            .contains(&"get-customer.md: added GET /api/v1/customers/{customerId}/".to_string()),
        "{:?}",
        imported.lines
    );

    let spec = spec_value(&root, "specs/ripio.yaml");
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["KycCheckSuccessResponse", "ErrorResponse", "Customer"]
    );
    let today = spec_value(&workspace_root(), "specs/ripio.yaml");
    assert_eq!(
        schemas["ErrorResponse"],
        today["components"]["schemas"]["ErrorResponse"]
    );
    assert_eq!(
        spec["components"]["parameters"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["CustomerId"]
    );
    let source = |path: &str, method: &str| spec["paths"][path][method]["x-rampgen-source"].clone();
    assert_eq!(
        source("/api/v1/customers/{customerId}/checkKyc/", "post"),
        "sources/ripio/ripio-check-kyc.md"
    );
    assert_eq!(
        source("/api/v1/customers/{customerId}/", "get"),
        "sources/ripio/get-customer.md"
    );
    assert!(root.join("specs/sources/ripio/get-customer.md").is_file());

    // The merged spec generates a client with both operations.
    let files = SpecFiles::read(&root, "specs/ripio.yaml").unwrap();
    let (api, _) = codegen::lower_spec(files.spec(), None).expect("merged spec lowers");
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["checkKycAndSendOtp", "getCustomer"]);
}

#[test]
fn a_conflicting_component_is_reported_with_both_sources_and_prefer_new_wins() {
    let root = scratch("conflict");
    import(&root, "ripio", &[seed(RIPIO_PAGE)], false).unwrap();
    let before = fs::read_to_string(root.join("specs/ripio.yaml")).unwrap();
    let other_shape = ERROR_RESPONSE.replace(
        "        - status\n",
        "        - status\n      description: A different ErrorResponse.\n",
    );
    let conflicting = page(&root, "conflict.md", &get_customer_page(&other_shape));

    let error = import(&root, "ripio", std::slice::from_ref(&conflicting), false).unwrap_err();
    let ImportError::Conflicts(conflicts) = &error else {
        panic!("expected a conflict: {error}")
    };
    assert_eq!(conflicts.len(), 1, "{error}");
    assert_eq!(conflicts[0].pointer, "#/components/schemas/ErrorResponse");
    assert_eq!(conflicts[0].existing, "sources/ripio/ripio-check-kyc.md");
    assert_eq!(conflicts[0].incoming, "sources/ripio/conflict.md");
    let message = error.to_string();
    assert!(
        message.contains("#/components/schemas/ErrorResponse is defined differently by sources/ripio/ripio-check-kyc.md and by sources/ripio/conflict.md"),
        "{message}"
    );
    assert!(message.contains("--prefer-new"), "{message}");
    // Nothing was written.
    assert_eq!(
        fs::read_to_string(root.join("specs/ripio.yaml")).unwrap(),
        before
    );
    assert!(!root.join("specs/sources/ripio/conflict.md").exists());

    let imported = import(&root, "ripio", &[conflicting], true).expect("--prefer-new imports");
    assert!(
        imported
            .lines
            .iter()
            .any(|l| l.contains("replaced (#/components/schemas/ErrorResponse")),
        "{:?}",
        imported.lines
    );
    let spec = spec_value(&root, "specs/ripio.yaml");
    assert_eq!(
        spec["components"]["schemas"]["ErrorResponse"]["description"],
        "A different ErrorResponse."
    );
}

/// A provider's docs before and after an update: fields added, a field removed, an enum value
/// added, an operation removed.
const BEFORE: &str = "openapi: 3.1.0
info:
  title: Example Ramp API
  version: v1
paths:
  /quotes/:
    post:
      operationId: createQuote
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/QuoteRequest'
      responses:
        '200':
          description: The quote.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Quote'
  /quotes/{quoteId}/:
    delete:
      operationId: cancelQuote
      parameters:
        - name: quoteId
          in: path
          required: true
          schema:
            type: string
      responses:
        '204':
          description: Cancelled.
components:
  schemas:
    QuoteRequest:
      type: object
      required: [amount, currency]
      properties:
        amount:
          type: string
        currency:
          type: string
    Quote:
      type: object
      required: [id, status]
      properties:
        id:
          type: string
        rate:
          type: number
        legacyFee:
          type: string
        status:
          $ref: '#/components/schemas/QuoteStatus'
    QuoteStatus:
      type: string
      enum: [PENDING, ACCEPTED]
";

const AFTER: &str = "openapi: 3.1.0
info:
  title: Example Ramp API
  version: v1
paths:
  /quotes/:
    post:
      operationId: createQuote
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/QuoteRequest'
      responses:
        '200':
          description: The quote.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Quote'
components:
  schemas:
    QuoteRequest:
      type: object
      required: [amount, currency, network]
      properties:
        amount:
          type: string
        currency:
          type: string
        network:
          type: string
    Quote:
      type: object
      required: [id, status]
      properties:
        id:
          type: string
        rate:
          type: number
        expiresAt:
          type: string
        status:
          $ref: '#/components/schemas/QuoteStatus'
    QuoteStatus:
      type: string
      enum: [PENDING, ACCEPTED, EXPIRED]
";

#[test]
fn a_docs_update_produces_the_expected_change_report() {
    let files = |text: &str| SpecFiles {
        spec_name: "specs/example.yaml".to_string(),
        spec_text: text.to_string(),
        overlay: None,
    };
    let changes = ApiChanges::compare(&files(BEFORE), &files(AFTER)).expect("both generate");
    let breaking: Vec<(&str, bool)> = changes
        .changes
        .iter()
        .map(|c| (c.kind.name(), c.breaking))
        .collect();
    assert_eq!(
        breaking,
        [
            ("operation-removed", true),
            ("field-added", true),
            ("field-added", false),
            ("field-removed", true),
            ("enum-value-added", false),
        ]
    );
    insta::assert_snapshot!("docs_update__change_report", changes.text());
    insta::assert_snapshot!(
        "docs_update__change_report_markdown",
        changes.markdown("example (specs/example.yaml)")
    );
}
