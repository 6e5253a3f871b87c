"""An independent reference for the four-weeks test: from the files delivered to each environment (and the
customer list each delivery was judged against) it computes what every dataset of the scaffolded project must
hold, with Python's own CSV reader and exact decimals, and compares that with what `sluice cat` printed.

Input: a JSON file (argv[1]) {"environments": {NAME: {"deliveries": [{"file", "customers", "maxInvalidRatio"}],
"customers": PATH, "sql": "v1" | "v2", "actual": {DATASET: PATH}}}}. Prints one line per dataset; exits 1 on
any difference.
"""

import csv
import datetime
import decimal
import json
import re
import sys

COLUMNS = ["order_id", "customer_id", "amount", "status", "ordered_at"]
STATUSES = {"new", "paid", "shipped", "cancelled"}
# What the revenue step keeps of staged orders, by version of models/clean_orders.sql.
KEPT = {"v1": lambda status: status != "cancelled", "v2": lambda status: status in ("paid", "shipped")}


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def customer_ids(path):
    return {int(row["customer_id"]) for row in read(path)}


def is_int(text):
    return re.fullmatch(r"-?[0-9]+", text) is not None


def instant(text):
    """A timestamp as the instant it names (SQL steps write timestamps in one canonical form)."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def is_timestamp(text):
    try:
        datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
        return True
    except ValueError:
        return False


def valid(row, customers):
    """The contract of raw.orders, written again from sluice.yaml."""
    if not (is_int(row["order_id"]) and is_int(row["customer_id"]) and is_timestamp(row["ordered_at"])):
        return False
    if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", row["amount"]) is None:
        return False
    amount = decimal.Decimal(row["amount"])
    return 0 <= amount <= 10000 and row["status"] in STATUSES and int(row["customer_id"]) in customers


def landed(deliveries):
    """The rows of raw.orders: each delivery's valid rows, unless too many were invalid (the batch is refused)."""
    rows = []
    for delivery in deliveries:
        delivered = read(delivery["file"])
        customers = customer_ids(delivery["customers"])
        good = [row for row in delivered if valid(row, customers)]
        if len(delivered) - len(good) <= delivery["maxInvalidRatio"] * len(delivered):
            rows += good
    return rows


def compare(name, expected, actual, problems):
    expected, actual = sorted(expected), sorted(actual)
    if expected == actual:
        print(f"  {name}: {len(actual)} rows as expected")
        return
    missing = [row for row in expected if row not in actual][:3]
    extra = [row for row in actual if row not in expected][:3]
    problems.append(f"{name}: expected {len(expected)} rows, got {len(actual)}; missing {missing}; unexpected {extra}")


def check(environment, spec, problems):
    print(environment)
    raw = landed(spec["deliveries"])
    actual = spec["actual"]
    compare(f"{environment} raw.orders", [tuple(r[c] for c in COLUMNS) for r in raw],
            [tuple(r[c] for c in COLUMNS) for r in read(actual["raw.orders"])], problems)
    people = {int(r["customer_id"]): r for r in read(spec["customers"])}
    shown = ["customer_id", "name", "country", "signed_up_at"]
    compare(f"{environment} raw.customers", [tuple(r[c] for c in shown) for r in people.values()],
            [tuple(r[c] for c in shown) for r in read(actual["raw.customers"])], problems)
    for row in read(actual["raw.customers"]):
        if row["email"] != "***":
            problems.append(f"{environment} raw.customers: an email is not masked for ci: {row['email']}")
    kept = KEPT[spec["sql"]]
    staged = [r for r in raw if kept(r["status"])]
    key = lambda r: (int(r["order_id"]), int(r["customer_id"]), r["status"], instant(r["ordered_at"]))
    compare(f"{environment} staged.orders", [key(r) + (float(decimal.Decimal(r["amount"])),) for r in staged],
            [key(r) + (float(r["amount"]),) for r in read(actual["staged.orders"])], problems)
    revenue = {}
    for row in staged:
        person = people.get(int(row["customer_id"]))
        if person is None:
            continue
        total, count = revenue.get(person["country"], (decimal.Decimal(0), 0))
        revenue[person["country"]] = (total + decimal.Decimal(row["amount"]), count + 1)
    cent = decimal.Decimal("0.01")
    expected = [(c, t.quantize(cent, rounding=decimal.ROUND_HALF_EVEN), n) for c, (t, n) in revenue.items()]
    written = read(actual["curated.revenue_by_country"])
    for row in written:
        if "." in row["revenue"] and len(row["revenue"].split(".")[1]) > 2:
            problems.append(f"{environment} curated.revenue_by_country: {row['revenue']} has more than 2 decimals")
    compare(f"{environment} curated.revenue_by_country", expected,
            [(r["country"], decimal.Decimal(r["revenue"]), int(r["orders"])) for r in written], problems)


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        environments = json.load(handle)["environments"]
    problems = []
    for environment, spec in sorted(environments.items()):
        check(environment, spec, problems)
    for problem in problems:
        print("DIFFERENCE " + problem)
    sys.exit(1 if problems else 0)


main()
