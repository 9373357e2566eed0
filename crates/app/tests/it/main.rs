//! Integration tests of the whole application, through HTTP as a browser or a script would.
//! Every test runs on SQLite, and on PostgreSQL too when `HROMADA_TEST_POSTGRES_URL` is set.

mod accounts;
mod admin;
mod appeals;
mod booking;
mod bot;
mod bot_viber;
mod budget;
mod city;
mod cli;
mod cms;
mod consultations;
mod demo;
mod identity;
mod mail;
mod media;
mod open311;
mod petitions;
mod platform;
mod schema;
mod services;
mod shell;
mod signing;
mod tenancy;
mod transit;
