// Fuzzes the MySQL DDL parser (connectors/mysql/mysql_ddl.h) with statements as a binlog QUERY
// event carries them: parse_ddl, and apply_alter of an ALTER TABLE to a fixed definition, must
// either succeed or throw DdlError / std::invalid_argument, never crash, hang or read out of
// bounds.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "mysql_ddl.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tributary::mysql;
  const std::string sql(reinterpret_cast<const char*>(data), size);
  try {
    DdlStatement st = parse_ddl(sql, "db");
    if (st.kind == DdlStatement::Kind::AlterTable) {
      static const TableDef base =
          *parse_ddl("CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(3), b ENUM('x','y'))", "db")
               .table;
      TableDef def = base;
      apply_alter(st, def);
    }
  } catch (const std::invalid_argument&) {
  } catch (const DdlError&) {
  }
  return 0;
}
