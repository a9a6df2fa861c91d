import { Command } from 'commander'
import { loadConfig, type ProcessRole } from '../platform/config/config.js'
import { runServer } from '../runtime/run-server.js'
import {
  createOwnerCommand,
  createSourceCommand,
  createTokenCommand,
  databaseUrlCommand,
  demoCommand,
  importCommand,
  migrateCommand,
} from './commands.js'

const program = new Command('reachloop').description('Reachloop: self-hosted marketing platform').showHelpAfterError()

const serve = (roles: ProcessRole[]) => async () => {
  const server = await runServer(loadConfig(), roles)
  let signals = 0
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1
    if (signals > 1) process.exit(1)
    server.ctx.logger.info({ signal }, 'shutdown requested')
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        server.ctx.logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
}

program
  .command('start')
  .description('Run the api and a worker in one process (what `npm start` runs)')
  .action(serve(['api', 'worker']))
program
  .command('api')
  .description('Run only the HTTP api')
  .action(serve(['api']))
program
  .command('worker')
  .description('Run only a job worker')
  .action(serve(['worker']))
program.command('migrate').description('Apply pending database migrations and exit').action(migrateCommand)
program
  .command('database-url')
  .description("Print the connection string of the database (the embedded PostgreSQL's while Reachloop runs), for psql or pg_dump")
  .action(databaseUrlCommand)
program
  .command('create-owner')
  .description('Create a user who owns a new workspace')
  .requiredOption('--email <email>', 'sign-in email')
  .requiredOption('--password <password>', 'at least 8 characters')
  .requiredOption('--workspace <name>', 'name of the new workspace')
  .option('--name <name>', 'display name (default: the part of the email before @)')
  .action(createOwnerCommand)
program
  .command('create-token')
  .description('Create an API token for a user and print it')
  .requiredOption('--email <email>', 'the user the token acts as')
  .requiredOption('--name <name>', 'what the token is for')
  .option('--workspace <id-or-name>', "workspace (default: the user's first)")
  .option('--role <role>', "role of the token (default and maximum: the user's role)")
  .action(createTokenCommand)
program
  .command('create-source')
  .description('Create a source of events and print its write key')
  .requiredOption('--workspace <id-or-name>', 'the workspace')
  .requiredOption('--name <name>', 'what the source is (e.g. "Mini program")')
  .option('--kind <kind>', 'web, app, mini_program, server, store_pos, shop or webhook', 'server')
  .action(createSourceCommand)
program
  .command('import')
  .description('Import profiles or events from a CSV or JSONL file, with progress; prints the outcome as JSON')
  .requiredOption('--workspace <id-or-name>', 'the workspace')
  .requiredOption('--source <id-or-name>', 'the source the rows are ingested through')
  .requiredOption('--kind <kind>', 'profiles or events')
  .requiredOption('--file <path>', 'the CSV (with a header row) or JSONL file')
  .option('--format <format>', 'csv or jsonl (default: from the file name)')
  .option('--map <field=column...>', 'e.g. userId=member_no traits.phone=mobile eventName="Order Completed" properties.total=amount', [])
  .action(importCommand)
program
  .command('demo')
  .description(
    'Build a demo workspace (a car-wash chain: stores, customers, a year of washes, orders and cards) through the ingestion path',
  )
  .option('--customers <n>', 'how many customers (about 20 events each)', '50000')
  .option('--workspace <name>', 'name of the new workspace', '洗车连锁 Demo')
  .option('--email <email>', 'owner of the demo workspace (default: the first owner; created with --password if there is none)')
  .option('--password <password>', 'password when the owner is created')
  .action(demoCommand)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  console.error(`reachloop: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
