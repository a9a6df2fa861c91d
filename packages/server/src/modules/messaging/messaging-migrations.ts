import type { Migration } from '../../platform/db/migrate.js'

/**
 * The messaging module's tables (DESIGN §6: templates, providers, messages, broadcasts, consent,
 * caps, tracking). Typed for the module's code in `messaging-schema.ts`.
 *
 * - `provider_accounts`: a workspace's configured providers; `secrets` is the AES-GCM ciphertext of
 *   the secret fields (the platform's SecretBox), `config` the rest. `callback_key` names the account
 *   in its public callback URL.
 * - `provider_tokens`: access tokens (WeChat, WeCom, FCM, APNs) shared by every process, encrypted.
 * - `provider_rate_windows`: sends taken per account and second, so a rate limit holds across workers.
 * - `subscription_groups` / `subscriptions`: consent. A group's policy is opt_in or opt_out; a
 *   profile's row says opted_in or unsubscribed, with its source and time (no row: the policy decides).
 * - `blocklist`: addresses never to contact on a channel (hard bounces, complaints, by hand).
 * - `message_templates`: the draft being edited and the published content sends use.
 * - `messaging_settings`: a workspace's quiet hours and frequency caps.
 * - `messages`: one row per send with each status's time; `message_attempts`: every provider call.
 * - `broadcasts`, `broadcast_runs`, `broadcast_holdouts`: sends to a segment, each run's frozen audience.
 */
export const MESSAGING_MIGRATIONS: readonly Migration[] = [
  {
    name: '0030_messaging',
    sql: `
      CREATE TABLE provider_accounts (
        id uuid PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        kind text NOT NULL,
        channel text NOT NULL,
        name text NOT NULL,
        config jsonb NOT NULL,
        secrets text NOT NULL,
        rate_per_second integer,
        is_default boolean NOT NULL DEFAULT false,
        callback_key text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (workspace_id, name)
      );
      CREATE UNIQUE INDEX provider_accounts_default ON provider_accounts (workspace_id, channel) WHERE is_default;
      CREATE TABLE provider_tokens (
        key text PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES provider_accounts(id) ON DELETE CASCADE,
        token text NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE TABLE provider_rate_windows (
        account_id uuid NOT NULL REFERENCES provider_accounts(id) ON DELETE CASCADE,
        second bigint NOT NULL,
        used integer NOT NULL,
        PRIMARY KEY (account_id, second)
      );
      CREATE TABLE subscription_groups (
        id uuid PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        key text NOT NULL,
        name text NOT NULL,
        channel text NOT NULL,
        policy text NOT NULL CHECK (policy IN ('opt_in', 'opt_out')),
        created_at timestamptz NOT NULL,
        UNIQUE (workspace_id, key)
      );
      CREATE TABLE subscriptions (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        group_id uuid NOT NULL REFERENCES subscription_groups(id) ON DELETE CASCADE,
        profile_id uuid NOT NULL,
        state text NOT NULL CHECK (state IN ('opted_in', 'unsubscribed')),
        source text NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (group_id, profile_id)
      );
      CREATE INDEX subscriptions_profile ON subscriptions (workspace_id, profile_id);
      CREATE TABLE blocklist (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        channel text NOT NULL,
        address text NOT NULL,
        reason text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, channel, address)
      );
      CREATE TABLE message_templates (
        id uuid PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL,
        channel text NOT NULL,
        category text NOT NULL CHECK (category IN ('marketing', 'transactional')),
        subscription_group_id uuid REFERENCES subscription_groups(id) ON DELETE SET NULL,
        provider_account_id uuid REFERENCES provider_accounts(id) ON DELETE SET NULL,
        fallback_template_id uuid REFERENCES message_templates(id) ON DELETE SET NULL,
        draft jsonb NOT NULL,
        published jsonb,
        published_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (workspace_id, name)
      );
      CREATE TABLE messaging_settings (
        workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        quiet_hours jsonb NOT NULL,
        caps jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE broadcasts (
        id uuid PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL,
        template_id uuid NOT NULL REFERENCES message_templates(id),
        segment_id uuid NOT NULL,
        schedule jsonb NOT NULL,
        local_time boolean NOT NULL DEFAULT false,
        holdout_percent real NOT NULL DEFAULT 0,
        rate_per_minute integer,
        state text NOT NULL,
        next_run_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (workspace_id, name)
      );
      CREATE INDEX broadcasts_due ON broadcasts (next_run_at) WHERE next_run_at IS NOT NULL;
      CREATE TABLE broadcast_runs (
        id uuid PRIMARY KEY,
        broadcast_id uuid NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
        workspace_id uuid NOT NULL,
        state text NOT NULL,
        scheduled_for timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        audience_size integer NOT NULL DEFAULT 0,
        holdout_size integer NOT NULL DEFAULT 0,
        UNIQUE (broadcast_id, scheduled_for)
      );
      CREATE TABLE broadcast_holdouts (
        run_id uuid NOT NULL REFERENCES broadcast_runs(id) ON DELETE CASCADE,
        profile_id uuid NOT NULL,
        PRIMARY KEY (run_id, profile_id)
      );
      CREATE TABLE messages (
        id uuid PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        profile_id uuid,
        channel text NOT NULL,
        category text NOT NULL,
        template_id uuid REFERENCES message_templates(id) ON DELETE SET NULL,
        provider_account_id uuid REFERENCES provider_accounts(id) ON DELETE SET NULL,
        run_id uuid REFERENCES broadcast_runs(id) ON DELETE SET NULL,
        idempotency_key text NOT NULL,
        test boolean NOT NULL DEFAULT false,
        address text,
        variables jsonb NOT NULL DEFAULT '{}',
        content jsonb,
        status text NOT NULL,
        reason text,
        provider_message_id text,
        provider_response jsonb,
        attempts integer NOT NULL DEFAULT 0,
        not_before timestamptz NOT NULL,
        queued_at timestamptz NOT NULL,
        sending_at timestamptz,
        sent_at timestamptz,
        delivered_at timestamptz,
        failed_at timestamptz,
        suppressed_at timestamptz,
        opened_at timestamptz,
        clicked_at timestamptz,
        updated_at timestamptz NOT NULL,
        UNIQUE (workspace_id, idempotency_key)
      );
      CREATE INDEX messages_caps ON messages (profile_id, sending_at) WHERE sending_at IS NOT NULL AND category = 'marketing';
      CREATE INDEX messages_log ON messages (workspace_id, queued_at DESC, id);
      CREATE INDEX messages_profile ON messages (workspace_id, profile_id, queued_at DESC);
      CREATE INDEX messages_provider_id ON messages (provider_account_id, provider_message_id) WHERE provider_message_id IS NOT NULL;
      CREATE INDEX messages_run ON messages (run_id, status) WHERE run_id IS NOT NULL;
      CREATE TABLE message_attempts (
        id bigserial PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        at timestamptz NOT NULL,
        outcome text NOT NULL,
        code text,
        detail text,
        response jsonb
      );
      CREATE INDEX message_attempts_message ON message_attempts (message_id, id);`,
  },
  {
    // Consent kept as Braze-style traits `<channel>_subscribe` moves into the consent model, one
    // source of truth: the channel's default group (created first where the workspace has none),
    // `opted_in` / `subscribed` → opted_in, `unsubscribed` → unsubscribed, source 'migrated', at
    // the trait's time (else the profile's last update); a newer recorded change is kept. Then the
    // traits leave the profiles (identity's table: a one-time move of data between owners, in one
    // transaction) and the segments and rule tags that read consent are computed again in full,
    // since a condition on a channel now reads its group's policy (SMS is opt-in).
    // The values are written out as they were at the time, not read from the code's constants.
    name: '0031_consent_from_traits',
    sql: `
      CREATE TEMPORARY TABLE consent_traits (trait text PRIMARY KEY, key text NOT NULL) ON COMMIT DROP;
      INSERT INTO consent_traits VALUES ('email_subscribe', 'marketing_email'), ('sms_subscribe', 'marketing_sms'),
        ('push_subscribe', 'push_notifications'), ('wechat_subscribe', 'wechat_notices'), ('wecom_subscribe', 'wecom_messages');
      INSERT INTO subscription_groups (id, workspace_id, key, name, channel, policy, created_at)
      SELECT md5(w.id::text || ':' || d.key)::uuid, w.id, d.key, d.name, d.channel, d.policy, now()
      FROM workspaces w
      CROSS JOIN (VALUES ('marketing_email', 'Marketing email', 'email', 'opt_out'), ('marketing_sms', 'Marketing SMS', 'sms', 'opt_in'),
        ('wechat_notices', 'WeChat notices', 'wechat', 'opt_out'), ('miniprogram_notices', 'Mini-program notices', 'miniprogram', 'opt_in'),
        ('wecom_messages', 'WeCom messages', 'wecom', 'opt_out'), ('push_notifications', 'Push notifications', 'push', 'opt_out'),
        ('webhook_marketing', 'Webhook marketing', 'webhook', 'opt_out')) AS d(key, name, channel, policy)
      WHERE NOT EXISTS (SELECT 1 FROM subscription_groups g WHERE g.workspace_id = w.id)
        AND EXISTS (SELECT 1 FROM profiles p WHERE p.workspace_id = w.id AND p.traits ?| ARRAY(SELECT trait FROM consent_traits))
      ON CONFLICT (workspace_id, key) DO NOTHING;
      INSERT INTO subscriptions AS s (workspace_id, group_id, profile_id, state, source, changed_at)
      SELECT p.workspace_id, g.id, p.id,
        CASE p.traits ->> t.trait WHEN 'unsubscribed' THEN 'unsubscribed' ELSE 'opted_in' END, 'migrated',
        coalesce(CASE WHEN jsonb_typeof(p.trait_times -> t.trait) = 'number'
          THEN to_timestamp((p.trait_times ->> t.trait)::double precision / 1000) END, p.updated_at)
      FROM profiles p
      JOIN consent_traits t ON p.traits ->> t.trait IN ('opted_in', 'subscribed', 'unsubscribed')
      JOIN subscription_groups g ON g.workspace_id = p.workspace_id AND g.key = t.key
      WHERE p.merged_into IS NULL
      ON CONFLICT (group_id, profile_id) DO UPDATE SET state = excluded.state, source = excluded.source, changed_at = excluded.changed_at
        WHERE s.changed_at < excluded.changed_at;
      UPDATE profiles SET traits = traits - ARRAY(SELECT trait FROM consent_traits), trait_times = trait_times - ARRAY(SELECT trait FROM consent_traits)
      WHERE traits ?| ARRAY(SELECT trait FROM consent_traits) OR trait_times ?| ARRAY(SELECT trait FROM consent_traits);
      INSERT INTO jobs (workspace_id, queue, payload, run_at, created_at, updated_at)
      SELECT workspace_id, 'segments.compute', jsonb_build_object('segmentId', id::text), now(), now(), now() FROM segments
      WHERE definition IS NOT NULL AND jsonb_path_exists(definition, 'strict $.**.kind ? (@ == "subscription")')
      UNION ALL
      SELECT workspace_id, 'tags.compute', jsonb_build_object('tagId', id::text), now(), now(), now() FROM tags
      WHERE definition IS NOT NULL AND jsonb_path_exists(definition, 'strict $.**.kind ? (@ == "subscription")');`,
  },
  {
    // A run's queued messages are read in pages in due order (starting a run, resuming one): the
    // run index carries that order, so each page is a range of the index, not a sort of every
    // message still queued (which made starting a 1M-message run quadratic).
    name: '0032_messages_run_order',
    sql: `
      DROP INDEX messages_run;
      CREATE INDEX messages_run ON messages (run_id, status, not_before, id) WHERE run_id IS NOT NULL;`,
  },
]
