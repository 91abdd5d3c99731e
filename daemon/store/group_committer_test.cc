#include "store/group_committer.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store/testutil.h"

namespace telemed {

namespace {

Status Insert(SqliteDb* db, int64_t v) {
  SqliteStmt stmt;
  Status s = db->Prepare("INSERT INTO t VALUES (?)", &stmt);
  if (s.ok()) stmt.BindInt64(1, v);
  return s.ok() ? stmt.Run() : s;
}

struct Result {
  Status status;
  bool committed = false;
};

}  // namespace

TEST_GROUP(GroupCommitter) {
  void setup() override {
    path = dir.File("t.db");
    SqliteDb db;
    CHECK_OK(SqliteDb::Open(path, 1000, &db));
    CHECK_OK(
        db.Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                "PRAGMA foreign_keys = ON;"
                "CREATE TABLE t (v INTEGER NOT NULL);"
                "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                "CREATE TABLE child (p INTEGER REFERENCES parent (id)"
                " DEFERRABLE INITIALLY DEFERRED)",
                "create"));
    committer = std::make_unique<GroupCommitter>(std::move(db));
    CHECK_OK(SqliteDb::Open(path, 1000, &reader));
  }

  // Rows of t with value v, seen by another connection.
  int64_t CountRows(int64_t v) {
    SqliteStmt stmt;
    CHECK_OK(reader.Prepare("SELECT COUNT(*) FROM t WHERE v = ?", &stmt));
    stmt.BindInt64(1, v);
    bool has_row = false;
    CHECK_OK(stmt.Step(&has_row));
    return stmt.ColumnInt64(0);
  }

  // Runs `bodies` as concurrent writes that land in one batch, in this
  // order: a first write (inserting -1) holds the connection until all
  // are queued.
  std::vector<Result> RunTogether(
      const std::vector<GroupCommitter::Body>& bodies) {
    std::atomic<bool> entered{false};
    auto gate = [&](SqliteDb* db, bool*) {
      entered = true;
      auto deadline =
          std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (committer->waiting() < bodies.size() &&
             std::chrono::steady_clock::now() < deadline) {
        std::this_thread::yield();
      }
      return Insert(db, -1);
    };
    Result gate_result;
    std::thread gate_thread([&] {
      gate_result.status = committer->Run(gate, &gate_result.committed);
    });
    while (!entered) std::this_thread::yield();
    std::vector<Result> results(bodies.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < bodies.size(); ++i) {
      threads.emplace_back([&, i] {
        results[i].status = committer->Run(bodies[i], &results[i].committed);
      });
      // Queued in order. Not after the last: once it is queued, the gate
      // lets the batch run and the queue may be empty again at once.
      while (i + 1 < bodies.size() && committer->waiting() < i + 1) {
        std::this_thread::yield();
      }
    }
    gate_thread.join();
    for (std::thread& thread : threads) thread.join();
    CHECK_OK(gate_result.status);
    return results;
  }

  test::TempDir dir;
  std::string path;
  std::unique_ptr<GroupCommitter> committer;
  SqliteDb reader;
};

TEST(GroupCommitter, ConcurrentWritesShareCommits) {
  constexpr int kThreads = 16;
  constexpr int kWritesEach = 25;
  // CppUTest may fail only on its own thread: count problems here.
  std::atomic<int> failed{0};
  std::atomic<int> unseen{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      SqliteDb own_reader;
      if (!SqliteDb::Open(path, 1000, &own_reader).ok()) ++failed;
      for (int i = 0; i < kWritesEach; ++i) {
        int64_t v = t * kWritesEach + i;
        bool committed = false;
        Status s = committer->Run(
            [v](SqliteDb* db, bool*) { return Insert(db, v); }, &committed);
        if (!s.ok() || !committed) ++failed;
        // Acknowledged means committed: another connection sees it now.
        SqliteStmt stmt;
        bool has_row = false;
        if (!own_reader.Prepare("SELECT 1 FROM t WHERE v = ?", &stmt).ok()) {
          ++failed;
          continue;
        }
        stmt.BindInt64(1, v);
        if (!stmt.Step(&has_row).ok() || !has_row) ++unseen;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  LONGS_EQUAL(0, failed.load());
  LONGS_EQUAL(0, unseen.load());
  SqliteStmt stmt;
  CHECK_OK(reader.Prepare("SELECT COUNT(*) FROM t", &stmt));
  bool has_row = false;
  CHECK_OK(stmt.Step(&has_row));
  LONGS_EQUAL(kThreads * kWritesEach, stmt.ColumnInt64(0));
  CHECK(committer->commits() <= kThreads * kWritesEach);
}

TEST(GroupCommitter, QueuedWritesCommitTogether) {
  std::vector<GroupCommitter::Body> bodies;
  for (int v = 0; v < 8; ++v) {
    bodies.push_back([v](SqliteDb* db, bool*) { return Insert(db, v); });
  }
  std::vector<Result> results = RunTogether(bodies);
  for (const Result& result : results) {
    CHECK_OK(result.status);
    CHECK_TRUE(result.committed);
  }
  // The gate's transaction, then one for all eight.
  LONGS_EQUAL(2, committer->commits());
  for (int v = 0; v < 8; ++v) LONGS_EQUAL(1, CountRows(v));
}

TEST(GroupCommitter, FailingBodyRollsBackAlone) {
  std::vector<GroupCommitter::Body> bodies = {
      [](SqliteDb* db, bool*) { return Insert(db, 1); },
      [](SqliteDb* db, bool*) {
        Status s = Insert(db, 2);
        return s.ok() ? Status::Validation("bad", "refused after a write", "x")
                      : s;
      },
      [](SqliteDb* db, bool* commit) {
        *commit = false;  // wrote, then found nothing to keep
        return Insert(db, 3);
      },
      [](SqliteDb* db, bool*) { return Insert(db, 4); },
  };
  std::vector<Result> results = RunTogether(bodies);
  CHECK_OK(results[0].status);
  STRCMP_EQUAL("bad", results[1].status.reason().c_str());
  CHECK_FALSE(results[1].committed);
  CHECK_OK(results[2].status);
  CHECK_FALSE(results[2].committed);
  CHECK_OK(results[3].status);
  LONGS_EQUAL(2, committer->commits());
  LONGS_EQUAL(1, CountRows(1));
  LONGS_EQUAL(0, CountRows(2));
  LONGS_EQUAL(0, CountRows(3));
  LONGS_EQUAL(1, CountRows(4));
}

TEST(GroupCommitter, FailedCommitFailsTheWholeBatch) {
  std::vector<GroupCommitter::Body> bodies = {
      [](SqliteDb* db, bool*) { return Insert(db, 1); },
      // A deferred foreign key: fine until COMMIT checks it.
      [](SqliteDb* db, bool*) {
        return db->Exec("INSERT INTO child VALUES (7)", "insert child");
      },
      [](SqliteDb*, bool* commit) {
        *commit = false;
        return Status::OK();
      },
  };
  std::vector<Result> results = RunTogether(bodies);
  for (const Result& result : results) {
    CHECK_FALSE(result.status.ok());
    CHECK_FALSE(result.committed);
  }
  LONGS_EQUAL(1, committer->commits());  // the gate's only
  LONGS_EQUAL(0, CountRows(1));
  // The connection is usable again.
  bool committed = false;
  CHECK_OK(committer->Run([](SqliteDb* db, bool*) { return Insert(db, 5); },
                          &committed));
  LONGS_EQUAL(1, CountRows(5));
}

TEST(GroupCommitter, LostTransactionFailsOnlyTheBodiesItHeld) {
  std::vector<GroupCommitter::Body> bodies = {
      [](SqliteDb* db, bool*) { return Insert(db, 1); },
      // Stands in for an I/O error after which SQLite rolls back itself.
      [](SqliteDb* db, bool*) { return db->Exec("ROLLBACK", "rollback"); },
      [](SqliteDb* db, bool*) { return Insert(db, 2); },
  };
  std::vector<Result> results = RunTogether(bodies);
  // The earlier body's change went with the transaction, so it fails too.
  STRCMP_EQUAL("transaction_lost", results[0].status.reason().c_str());
  STRCMP_EQUAL("transaction_lost", results[1].status.reason().c_str());
  CHECK_FALSE(results[0].committed);
  LONGS_EQUAL(0, CountRows(1));
  // The one behind them stayed queued and ran in a transaction of its own.
  CHECK_OK(results[2].status);
  LONGS_EQUAL(1, CountRows(2));
}

}  // namespace telemed
