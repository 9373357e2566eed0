//! The GTFS-Realtime messages this crate reads, declared by hand after `gtfs-realtime.proto` (proto2,
//! package `transit_realtime`) with the official field numbers, so no `protoc` is needed to build.
//! Alerts, shapes and extensions are left out: prost skips unknown fields when decoding.

/// `FeedMessage`: a header and the entities.
#[derive(Clone, PartialEq, prost::Message)]
pub struct FeedMessage {
    #[prost(message, required, tag = "1")]
    pub header: FeedHeader,
    #[prost(message, repeated, tag = "2")]
    pub entity: Vec<FeedEntity>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct FeedHeader {
    #[prost(string, required, tag = "1")]
    pub gtfs_realtime_version: String,
    #[prost(enumeration = "Incrementality", optional, tag = "2")]
    pub incrementality: Option<i32>,
    /// POSIX seconds when the content was created.
    #[prost(uint64, optional, tag = "3")]
    pub timestamp: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum Incrementality {
    FullDataset = 0,
    Differential = 1,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct FeedEntity {
    #[prost(string, required, tag = "1")]
    pub id: String,
    #[prost(bool, optional, tag = "2")]
    pub is_deleted: Option<bool>,
    #[prost(message, optional, tag = "3")]
    pub trip_update: Option<TripUpdate>,
    #[prost(message, optional, tag = "4")]
    pub vehicle: Option<VehiclePosition>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct TripUpdate {
    #[prost(message, required, tag = "1")]
    pub trip: TripDescriptor,
    #[prost(message, optional, tag = "3")]
    pub vehicle: Option<VehicleDescriptor>,
    #[prost(message, repeated, tag = "2")]
    pub stop_time_update: Vec<StopTimeUpdate>,
    #[prost(uint64, optional, tag = "4")]
    pub timestamp: Option<u64>,
    /// Trip-level delay (experimental in the spec): applies until the first stop with an update.
    #[prost(int32, optional, tag = "5")]
    pub delay: Option<i32>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct StopTimeEvent {
    #[prost(int32, optional, tag = "1")]
    pub delay: Option<i32>,
    /// POSIX seconds; wins over `delay` when both are set.
    #[prost(int64, optional, tag = "2")]
    pub time: Option<i64>,
    #[prost(int32, optional, tag = "3")]
    pub uncertainty: Option<i32>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct StopTimeUpdate {
    #[prost(uint32, optional, tag = "1")]
    pub stop_sequence: Option<u32>,
    #[prost(string, optional, tag = "4")]
    pub stop_id: Option<String>,
    #[prost(message, optional, tag = "2")]
    pub arrival: Option<StopTimeEvent>,
    #[prost(message, optional, tag = "3")]
    pub departure: Option<StopTimeEvent>,
    #[prost(enumeration = "StopTimeRelationship", optional, tag = "5")]
    pub schedule_relationship: Option<i32>,
}

/// `TripUpdate.StopTimeUpdate.ScheduleRelationship`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum StopTimeRelationship {
    Scheduled = 0,
    Skipped = 1,
    NoData = 2,
    Unscheduled = 3,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct TripDescriptor {
    #[prost(string, optional, tag = "1")]
    pub trip_id: Option<String>,
    #[prost(string, optional, tag = "5")]
    pub route_id: Option<String>,
    #[prost(uint32, optional, tag = "6")]
    pub direction_id: Option<u32>,
    /// `HH:MM:SS`, identifies a run of a frequency-based trip.
    #[prost(string, optional, tag = "2")]
    pub start_time: Option<String>,
    /// `YYYYMMDD`, the service date of the run.
    #[prost(string, optional, tag = "3")]
    pub start_date: Option<String>,
    #[prost(enumeration = "TripRelationship", optional, tag = "4")]
    pub schedule_relationship: Option<i32>,
}

/// `TripDescriptor.ScheduleRelationship`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum TripRelationship {
    Scheduled = 0,
    Added = 1,
    Unscheduled = 2,
    Canceled = 3,
    Replacement = 5,
    Duplicated = 6,
    Deleted = 7,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct VehicleDescriptor {
    #[prost(string, optional, tag = "1")]
    pub id: Option<String>,
    #[prost(string, optional, tag = "2")]
    pub label: Option<String>,
    #[prost(string, optional, tag = "3")]
    pub license_plate: Option<String>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct VehiclePosition {
    #[prost(message, optional, tag = "1")]
    pub trip: Option<TripDescriptor>,
    #[prost(message, optional, tag = "8")]
    pub vehicle: Option<VehicleDescriptor>,
    #[prost(message, optional, tag = "2")]
    pub position: Option<Position>,
    #[prost(uint32, optional, tag = "3")]
    pub current_stop_sequence: Option<u32>,
    #[prost(string, optional, tag = "7")]
    pub stop_id: Option<String>,
    #[prost(enumeration = "VehicleStopStatus", optional, tag = "4")]
    pub current_status: Option<i32>,
    #[prost(uint64, optional, tag = "5")]
    pub timestamp: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum VehicleStopStatus {
    IncomingAt = 0,
    StoppedAt = 1,
    InTransitTo = 2,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Position {
    #[prost(float, required, tag = "1")]
    pub latitude: f32,
    #[prost(float, required, tag = "2")]
    pub longitude: f32,
    #[prost(float, optional, tag = "3")]
    pub bearing: Option<f32>,
    #[prost(double, optional, tag = "4")]
    pub odometer: Option<f64>,
    /// Metres per second.
    #[prost(float, optional, tag = "5")]
    pub speed: Option<f32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    /// Bytes written by hand from the wire format, to pin the field numbers: header {version "2.0",
    /// timestamp 1000}, entity {id "e", trip_update {trip {trip_id "t"}, stop_time_update {stop_sequence 3,
    /// departure {delay 60}}}}.
    #[test]
    fn field_numbers_match_the_specification() {
        let header = [0x0a, 0x08, 0x0a, 0x03, b'2', b'.', b'0', 0x18, 0xe8, 0x07];
        let stop_time_update = [0x12, 0x06, 0x08, 0x03, 0x1a, 0x02, 0x08, 0x3c];
        let trip = [0x0a, 0x03, 0x0a, 0x01, b't'];
        let mut trip_update = vec![0x1a, (trip.len() + stop_time_update.len()) as u8];
        trip_update.extend(trip);
        trip_update.extend(stop_time_update);
        let mut entity = vec![0x12, (3 + trip_update.len()) as u8, 0x0a, 0x01, b'e'];
        entity.extend(trip_update);
        let bytes: Vec<u8> = header.iter().copied().chain(entity).collect();

        let message = FeedMessage::decode(bytes.as_slice()).expect("decodes");
        assert_eq!(message.header.gtfs_realtime_version, "2.0");
        assert_eq!(message.header.timestamp, Some(1000));
        let update = message.entity[0].trip_update.as_ref().expect("trip update");
        assert_eq!(update.trip.trip_id.as_deref(), Some("t"));
        assert_eq!(update.stop_time_update[0].stop_sequence, Some(3));
        assert_eq!(update.stop_time_update[0].departure.as_ref().and_then(|d| d.delay), Some(60));
        assert_eq!(message.encode_to_vec(), bytes);
    }
}
