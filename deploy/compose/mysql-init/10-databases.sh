#!/bin/bash
# Runs once, on MySQL's first start (an empty data volume): a database and a user per service, utf8mb4.
# Each service owns its database and sees no other; the passwords come from deploy/compose/.env.
set -eu
for service in certificates recording legal_review publicity; do
  variable="$(echo "$service" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
  password="${!variable:?$variable is not set}"
  mysql --protocol=socket -uroot -p"$MYSQL_ROOT_PASSWORD" <<SQL
CREATE DATABASE IF NOT EXISTS \`enforcement_${service}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '${service}'@'%' IDENTIFIED BY '${password}';
GRANT ALL PRIVILEGES ON \`enforcement_${service}\`.* TO '${service}'@'%';
SQL
done
