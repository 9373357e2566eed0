//! E-petitions to the local council (Law of Ukraine "On citizens' appeals", art. 23-1).
//!
//! This crate grows in steps: the rules of the domain come first, in [`domain`], pure and
//! tested; storage, pages, the API and the module manifest follow.

pub mod domain;
