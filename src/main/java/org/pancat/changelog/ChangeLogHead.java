package org.pancat.changelog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The single row that hands out sequence numbers; locked by each appending transaction. */
@Entity
@Table(name = "change_log_head")
class ChangeLogHead {
  static final int ID = 1;

  @Id Integer id;

  @Column(name = "last_seq", nullable = false)
  long lastSeq;

  /** Random id given to this log on first use; derived data records which log it follows. */
  @Column(name = "log_id")
  String logId;
}
