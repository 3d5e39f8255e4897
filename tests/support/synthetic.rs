//! Synthetic plans of any size for benchmarks and property tests: a realistic mix of
//! categories, sizes, criticalities and constraints, the 2010 price book, and three
//! scenarios. Deterministic for a given seed.

#![allow(dead_code, reason = "each test or bench uses part of it")]

use keyholder::model::{
    Category, Choice, Criticality, Decimal, Destination, Evaluation, Plan, Scenario, Workload,
    YearMonth, is_allowed,
};
use keyholder::storage::default_price_book;

/// A small xorshift generator: enough for test data, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }
}

/// A plan with `workloads` workloads and three scenarios.
pub fn synthetic_plan(workloads: usize, seed: u64) -> Plan {
    let mut rng = Rng::new(seed);
    let mut plan = Plan::new(
        &format!("Synthetic customer with {workloads} workloads"),
        YearMonth {
            year: 2010,
            month: 3,
        },
        default_price_book().expect("built-in book"),
    );
    plan.customer.seats = u32::try_from(workloads * 3).unwrap_or(u32::MAX);
    for i in 0..workloads {
        let category = *rng.pick(&Category::ALL);
        let mut w = Workload::new(
            &format!("w{i:05}"),
            &format!("{} {i}", category.label()),
            category,
        );
        let per_user = matches!(
            category,
            Category::Email
                | Category::Collaboration
                | Category::UnifiedCommunications
                | Category::WebConferencing
                | Category::Crm
        );
        w.users = if per_user {
            u32::try_from(5 + rng.below(300)).unwrap_or(5)
        } else {
            0
        };
        w.servers = u32::try_from(1 + rng.below(4)).unwrap_or(1);
        w.storage_gb = Decimal::new(i64::try_from(rng.below(200_000)).unwrap_or(0), 1);
        w.egress_gb_per_month = Decimal::new(i64::try_from(rng.below(5_000)).unwrap_or(0), 1);
        w.criticality = *rng.pick(&Criticality::ALL);
        w.current = if rng.below(5) == 0 {
            Destination::MspHosted
        } else {
            Destination::OnPremises
        };
        match rng.below(10) {
            0 => w.constraints.needs_os_admin = true,
            1 => w.constraints.custom_code = true,
            2 if w.current == Destination::OnPremises => w.constraints.data_must_stay_onsite = true,
            _ => {}
        }
        if rng.below(8) == 0 {
            w.current_monthly_override_cents =
                Some(i64::try_from(20_000 + rng.below(200_000)).unwrap_or(0));
        }
        plan.workloads.push(w);
    }
    // Scenarios: everything to the cheapest allowed destination; everything that may, to
    // Azure IaaS in a staggered roadmap; and mail and collaboration to BPOS.
    let evaluation = Evaluation::new(&plan);
    let mut cheapest = Scenario {
        name: "Cheapest everywhere".to_owned(),
        ..Scenario::default()
    };
    let mut iaas = Scenario {
        name: "Rehost on Azure".to_owned(),
        ..Scenario::default()
    };
    let mut bpos = Scenario {
        name: "Mail and collaboration to BPOS".to_owned(),
        ..Scenario::default()
    };
    for (index, w) in plan.workloads.iter().enumerate() {
        let best = Destination::ALL
            .into_iter()
            .filter_map(|d| evaluation.option(index, d).map(|p| (p.monthly_cents, d)))
            .min()
            .map_or(w.current, |(_, d)| d);
        if best != w.current {
            cheapest.choices.insert(w.id.clone(), Choice::new(best, 0));
        }
        if is_allowed(&plan.price_book, w, Destination::AzureIaas)
            && w.current != Destination::AzureIaas
        {
            let month = u32::try_from(index % 24).unwrap_or(0);
            iaas.choices
                .insert(w.id.clone(), Choice::new(Destination::AzureIaas, month));
        }
        if is_allowed(&plan.price_book, w, Destination::Bpos) {
            bpos.choices
                .insert(w.id.clone(), Choice::new(Destination::Bpos, 6));
        }
    }
    plan.scenarios.extend([cheapest, iaas, bpos]);
    plan
}

/// An Azure Migrate inventory export (CSV, CRLF) of `rows` servers named by `name`, with
/// varied cores, memory and disks.
pub fn inventory_csv(rows: usize, name: impl Fn(usize) -> String) -> String {
    use std::fmt::Write as _;
    let mut text = String::from(
        "*Server Name,IP addresses,*Cores,*Memory (In MB),*OS name,OS version,Disk 1 size (In GB),Disk 2 size (In GB)\r\n",
    );
    for i in 0..rows {
        let _ = write!(
            text,
            "{},10.0.{}.{},{},{},Microsoft Windows Server 2008 R2 Standard,6.1,{},{}\r\n",
            name(i),
            i / 256 % 256,
            i % 256,
            1 + i % 8,
            1024 * (1 + i % 16),
            10 + i % 500,
            i % 3 * 100
        );
    }
    text
}

/// Every assignment of offered destinations to the plan's `workloads` workloads, for brute
/// force on small plans (odometer order: the first workload's choice turns fastest).
pub fn every_assignment(evaluation: &Evaluation, workloads: usize) -> Vec<Vec<Destination>> {
    let options: Vec<Vec<Destination>> = (0..workloads)
        .map(|i| {
            Destination::ALL
                .into_iter()
                .filter(|d| evaluation.offers(i, *d))
                .collect()
        })
        .collect();
    odometer(&options)
}

/// Every way to take one item of each list, the first list's item turning fastest.
fn odometer<T: Copy>(options: &[Vec<T>]) -> Vec<Vec<T>> {
    let mut all = Vec::new();
    let mut index = vec![0usize; options.len()];
    loop {
        all.push(index.iter().zip(options).map(|(&k, o)| o[k]).collect());
        let mut position = 0;
        loop {
            if position == index.len() {
                return all;
            }
            index[position] += 1;
            if index[position] < options[position].len() {
                break;
            }
            index[position] = 0;
            position += 1;
        }
    }
}

/// Every assignment of the offers (destination, purchase term, Hybrid Benefit) each of the
/// plan's first `workloads` workloads may use, for brute force on small plans (odometer
/// order: the first workload's choice turns fastest).
pub fn every_offer_assignment(
    evaluation: &Evaluation,
    workloads: usize,
) -> Vec<Vec<keyholder::model::Offer>> {
    let options: Vec<Vec<keyholder::model::Offer>> = (0..workloads)
        .map(|i| {
            evaluation
                .offers_of(i)
                .into_iter()
                .map(|(o, _)| o)
                .collect()
        })
        .collect();
    odometer(&options)
}
