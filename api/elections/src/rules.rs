//! Election rules that need no database: the lifecycle, ballot checks, Persian ordering and the
//! tally.

use std::collections::BTreeMap;

use anjoman_core::ApiError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::ElectionsError;

/// Where an election is in its life (EL-02).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Published,
    Open,
    Closed,
    Tallied,
    ResultsPublished,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Draft,
        Status::Published,
        Status::Open,
        Status::Closed,
        Status::Tallied,
        Status::ResultsPublished,
        Status::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
            Status::Open => "open",
            Status::Closed => "closed",
            Status::Tallied => "tallied",
            Status::ResultsPublished => "results_published",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Visible to the public (candidates and all).
    pub fn public(self) -> bool {
        !matches!(self, Status::Draft)
    }
}

/// A step in an election's life: each is allowed from its own states only (EL-02).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The admin announces a draft.
    Publish,
    /// The worker opens voting at the start.
    Open,
    /// The admin moves the end of open voting later (the state stays open).
    Extend,
    /// The worker closes voting at the end.
    Close,
    /// The admin counts a closed election.
    Tally,
    /// The admin publishes the counted results.
    PublishResults,
    /// The admin cancels an election that is not yet counted.
    Cancel,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Publish,
        Action::Open,
        Action::Extend,
        Action::Close,
        Action::Tally,
        Action::PublishResults,
        Action::Cancel,
    ];

    /// The states this action starts from.
    pub fn from(self) -> &'static [Status] {
        match self {
            Action::Publish => &[Status::Draft],
            Action::Open => &[Status::Published],
            Action::Extend | Action::Close => &[Status::Open],
            Action::Tally => &[Status::Closed],
            Action::PublishResults => &[Status::Tallied],
            Action::Cancel => &[Status::Draft, Status::Published, Status::Open, Status::Closed],
        }
    }

    /// The audit event the step records.
    pub fn event(self) -> &'static str {
        match self {
            Action::Publish => "election.published",
            Action::Open => "election.opened",
            Action::Extend => "election.extended",
            Action::Close => "election.closed",
            Action::Tally => "election.tallied",
            Action::PublishResults => "election.results_published",
            Action::Cancel => "election.cancelled",
        }
    }
}

/// Where an action takes an election, or 409 `wrong_election_state` naming where it is.
pub fn next(from: Status, action: Action) -> Result<Status, ApiError> {
    require(from, action.from())?;
    Ok(match action {
        Action::Publish => Status::Published,
        Action::Open => Status::Open,
        Action::Extend => from,
        Action::Close => Status::Closed,
        Action::Tally => Status::Tallied,
        Action::PublishResults => Status::ResultsPublished,
        Action::Cancel => Status::Cancelled,
    })
}

/// Refuses a step from the wrong state, naming the state.
pub fn require(current: Status, allowed: &[Status]) -> Result<(), ApiError> {
    if allowed.contains(&current) {
        return Ok(());
    }
    Err(ElectionsError::WrongState { current }.into())
}

/// A contest as the ballot check and the tally see it.
#[derive(Debug, Clone)]
pub struct ContestRule {
    pub id: String,
    pub seats: i32,
    pub alternates: i32,
    pub max_selections: i32,
    pub candidates: Vec<String>,
}

/// A sort key in Persian alphabetical order (پ، چ، ژ، گ in their places, ی/ي and ک/ك alike).
pub fn persian_sort_key(text: &str) -> Vec<u32> {
    const ALPHABET: &str = "آاأإءبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهۀةی";
    anjoman_core::text::search_key(text)
        .chars()
        .map(|c| match ALPHABET.chars().position(|a| a == c) {
            Some(i) => 0x10000 + i as u32,
            None => c as u32,
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Elected,
    Alternate,
    /// Shares its vote count across the last elected or alternate place: the tie must be broken
    /// by the association's rules.
    Tied,
    NotElected,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CandidateResult {
    pub candidate_id: String,
    pub votes: i64,
    /// 1 for the most votes; equal votes share a rank.
    pub rank: i64,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ContestResult {
    pub contest_id: String,
    pub ballots: i64,
    /// Ballots that chose no one in this contest.
    pub blank: i64,
    pub candidates: Vec<CandidateResult>,
    /// True when a tie crosses the last elected or alternate place.
    pub tie: bool,
}

/// Counts plaintext ballots per contest (for the rules' own tests; real elections are counted
/// from decrypted totals with [`rank`]).
pub fn tally(contests: &[ContestRule], ballots: &[BTreeMap<String, Vec<String>>]) -> Vec<ContestResult> {
    contests
        .iter()
        .map(|c| {
            let mut votes: Vec<i64> = vec![0; c.candidates.len()];
            let mut blank = 0;
            for b in ballots {
                let picked = b.get(&c.id).map(Vec::as_slice).unwrap_or_default();
                if picked.is_empty() {
                    blank += 1;
                }
                for p in picked {
                    if let Some(i) = c.candidates.iter().position(|x| x == p) {
                        votes[i] += 1;
                    }
                }
            }
            rank(c, &votes, ballots.len() as i64, blank)
        })
        .collect()
}

/// One contest's result from its totals (`votes[i]` for `c.candidates[i]`): ranks, the elected by
/// seats, then alternates; ties at a boundary are reported, never broken silently.
pub fn rank(c: &ContestRule, votes: &[i64], ballots: i64, blank: i64) -> ContestResult {
    let mut ordered: Vec<(&str, i64)> =
        c.candidates.iter().zip(votes.iter().chain(std::iter::repeat(&0))).map(|(id, v)| (id.as_str(), *v)).collect();
    ordered.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let seats = c.seats.max(0) as usize;
    let alt_end = seats + c.alternates.max(0) as usize;
    let mut tie = false;
    let candidates = ordered
        .iter()
        .enumerate()
        .map(|(i, (id, v))| {
            let rank = ordered.iter().filter(|(_, x)| x > v).count() as i64 + 1;
            let first = ordered.iter().position(|(_, x)| x == v).unwrap_or(i);
            let last = ordered.iter().rposition(|(_, x)| x == v).unwrap_or(i);
            // The group of equal votes straddles a boundary.
            let straddles = |b: usize| b > 0 && first < b && last >= b;
            let outcome = if *v > 0 && (straddles(seats) || straddles(alt_end)) {
                tie = true;
                Outcome::Tied
            } else if i < seats && *v > 0 {
                Outcome::Elected
            } else if i < alt_end && *v > 0 {
                Outcome::Alternate
            } else {
                Outcome::NotElected
            };
            CandidateResult { candidate_id: (*id).to_owned(), votes: *v, rank, outcome }
        })
        .collect();
    ContestResult { contest_id: c.id.clone(), ballots, blank, candidates, tie }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_moves_from_its_own_states_only() {
        use Status::*;
        let legal = [
            (Draft, Action::Publish, Published),
            (Published, Action::Open, Open),
            (Open, Action::Extend, Open),
            (Open, Action::Close, Closed),
            (Closed, Action::Tally, Tallied),
            (Tallied, Action::PublishResults, ResultsPublished),
            (Draft, Action::Cancel, Cancelled),
            (Published, Action::Cancel, Cancelled),
            (Open, Action::Cancel, Cancelled),
            (Closed, Action::Cancel, Cancelled),
        ];
        for from in Status::ALL {
            for action in Action::ALL {
                let expected = legal.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, t)| *t);
                match next(from, action) {
                    Ok(to) => assert_eq!(Some(to), expected, "{from:?} + {action:?}"),
                    Err(e) => {
                        assert_eq!(expected, None, "{from:?} + {action:?}");
                        assert!(matches!(e, ApiError::Conflict { code: "wrong_election_state", .. }));
                    }
                }
            }
        }
        // Nothing leaves a cancelled or a published-results election.
        assert!(Action::ALL.iter().all(|a| next(Cancelled, *a).is_err() && next(ResultsPublished, *a).is_err()));
    }

    fn contest() -> ContestRule {
        ContestRule {
            id: "board".into(),
            seats: 2,
            alternates: 1,
            max_selections: 2,
            candidates: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        }
    }

    fn ballot(picks: &[&str]) -> BTreeMap<String, Vec<String>> {
        BTreeMap::from([("board".to_owned(), picks.iter().map(|s| (*s).to_owned()).collect())])
    }

    #[test]
    fn tally_ranks_elects_and_reports_ties() {
        let ballots = [ballot(&["a", "b"]), ballot(&["a", "c"]), ballot(&["a", "b"]), ballot(&["c"]), ballot(&[])];
        let r = &tally(&[contest()], &ballots)[0];
        let by = |id: &str| r.candidates.iter().find(|x| x.candidate_id == id).unwrap().clone();
        assert_eq!((by("a").votes, by("a").rank), (3, 1));
        assert!(matches!(by("a").outcome, Outcome::Elected));
        // b and c have 2 each and share the second seat: a tie, reported.
        assert_eq!((by("b").votes, by("c").votes, by("b").rank, by("c").rank), (2, 2, 2, 2));
        assert!(matches!(by("b").outcome, Outcome::Tied) && matches!(by("c").outcome, Outcome::Tied));
        assert!(r.tie);
        assert!(matches!(by("d").outcome, Outcome::NotElected));
        assert_eq!((r.ballots, r.blank), (5, 1));

        let clear = [ballot(&["a", "b"]), ballot(&["a", "b"]), ballot(&["a", "c"])];
        let r = &tally(&[contest()], &clear)[0];
        assert!(!r.tie);
        let outcome = |id: &str| r.candidates.iter().find(|x| x.candidate_id == id).unwrap().outcome.clone();
        assert!(matches!(outcome("b"), Outcome::Elected));
        assert!(matches!(outcome("c"), Outcome::Alternate));
    }

    #[test]
    fn persian_order_puts_letters_in_their_places() {
        let mut names = vec!["یزدانی", "گودرزی", "کاظمی", "پارسا", "بهرامی", "چمران", "آرین"];
        names.sort_by_key(|n| persian_sort_key(n));
        assert_eq!(names, vec!["آرین", "بهرامی", "پارسا", "چمران", "کاظمی", "گودرزی", "یزدانی"]);
    }
}
