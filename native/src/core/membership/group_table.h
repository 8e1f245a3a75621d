// The groups (and sources) that hosts on one interface have reported, with the router-side timers
// of RFC 3376 section 6 / RFC 3810 section 7, driven by the caller's clock. Simplifications, on
// purpose: in EXCLUDE mode the excluded sources are those of the latest report (no per-source
// timers), and a BLOCK or a partial TO_IN is confirmed by a group-specific query (every member
// then reports its whole state) instead of a group-and-source-specific one.
#pragma once

#include <cstdint>
#include <vector>

#include "core/membership/message.h"
#include "core/membership/timers.h"

namespace mcr::membership {

enum class FilterMode : uint8_t { include, exclude };

struct SourceEntry {
  IpAddress source;
  int64_t expires_ns = 0;
};

struct GroupEntry {
  IpAddress group;
  FilterMode mode = FilterMode::include;
  int64_t group_expires_ns = 0;             // EXCLUDE mode only: when the group falls back to INCLUDE
  std::vector<SourceEntry> sources;         // sources asked for, each with its timer
  std::vector<IpAddress> excluded_sources;  // EXCLUDE mode: sources the members do not want
  int compatibility_version = 0;            // the oldest version heard within its interval
  int64_t older_host_expires_ns = 0;        // when compatibility returns to the newest version
  IpAddress last_reporter;

  // When the whole entry would go, unless a report refreshes it.
  int64_t expires_ns() const;
};

class GroupTable {
 public:
  // `newest_version`: 3 for IGMP, 2 for MLD.
  GroupTable(const Timers& timers, int newest_version) : timers_(timers), newest_version_(newest_version) {}

  // Applies one report's records. Returns the groups whose leave (or partial leave) needs
  // group-specific queries: their timers were lowered to the last member query time.
  std::vector<IpAddress> apply_report(const Message& report, int64_t now_ns);

  // A group-specific query from another querier: members must answer within the last member
  // query time, so the group timer is lowered to it (RFC 3376 section 6.6.1).
  void lower_group_timer(const IpAddress& group, int64_t now_ns);

  // Removes expired sources and groups, falls back from EXCLUDE and older-version modes.
  void expire(int64_t now_ns);

  // The earliest time anything in the table changes by itself; INT64_MAX when empty.
  int64_t next_change_ns() const;

  const std::vector<GroupEntry>& groups() const { return groups_; }
  bool has_member(const IpAddress& group) const;

 private:
  GroupEntry& entry(const IpAddress& group, int64_t now_ns);
  void refresh_compatibility(GroupEntry& entry, int version, int64_t now_ns) const;
  bool apply_record(GroupEntry& entry, const GroupRecord& record, int64_t now_ns);
  void refresh_sources(GroupEntry& entry, const std::vector<IpAddress>& sources, int64_t expires_ns) const;
  // Lowers to the last member query time the timers of the sources listed (or of all the others,
  // with listed_are_kept); true when one was lowered.
  bool lower_sources(GroupEntry& entry, const std::vector<IpAddress>& listed, bool listed_are_kept,
                     int64_t now_ns) const;

  Timers timers_;
  int newest_version_;
  std::vector<GroupEntry> groups_;  // a handful per interface: a vector beats a map here
};

}  // namespace mcr::membership
