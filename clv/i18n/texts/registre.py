"""Words of the Registre (record of processing) page and of the record itself, in French
and English (see :mod:`clv.i18n.texts`). The record's keys start with ``registre.record.``;
:mod:`clv.compliance.registre` fills them from the store."""

TRANSLATIONS: dict[str, dict[str, str]] = {
    # -- the page ---------------------------------------------------------------------------
    "registre.title": {
        "fr": "Registre RGPD et droits des personnes",
        "en": "GDPR record and people's rights",
    },
    "registre.purpose": {
        "fr": "Le registre des traitements tiré de ce que la base contient réellement, "
        "l'effacement d'un client sur demande, la durée de conservation et le consentement.",
        "en": "The record of processing drawn from what the store actually holds, erasing a "
        "customer on request, the retention period and consent.",
    },
    "registre.record.header": {"fr": "Registre des traitements", "en": "Record of processing"},
    "registre.record.caption": {
        "fr": "Rédigé à partir des tables de la base à l'instant. Les champs « à compléter » "
        "reviennent au responsable du traitement : téléchargez le fichier, complétez-le et "
        "versez-le à votre registre.",
        "en": "Written from the store's tables as they are now. The fields marked “to fill "
        "in” are the controller's: download the file, complete it and add it to your record.",
    },
    "registre.record.download": {
        "fr": "Télécharger le registre (Markdown)",
        "en": "Download the record (Markdown)",
    },
    "registre.empty": {
        "fr": "La base ne contient encore aucune donnée client : le registre ci-dessous "
        "affiche des comptes à zéro. Importez les commandes (et, si vous les avez, les "
        "clients, les réponses NPS et les tickets support) depuis la page Données.",
        "en": "The store holds no customer data yet: the record below shows zero counts. "
        "Import the orders (and, if you have them, the customers, NPS answers and support "
        "tickets) from the Data page.",
    },
    "registre.go_to_data": {"fr": "Aller à la page Données", "en": "Go to the Data page"},
    # -- erasure -----------------------------------------------------------------------------
    "registre.erase.header": {
        "fr": "Effacer un client (droit à l'effacement)",
        "en": "Erase a customer (right to erasure)",
    },
    "registre.erase.intro": {
        "fr": "Saisissez l'e-mail de la personne. L'application calcule son pseudonyme avec "
        "la clé du magasin et supprime toutes ses lignes : fiche client, commandes et leurs "
        "lignes, réponses NPS, tickets, extraits de lignes rejetées. Le fichier de données "
        "est ensuite réécrit pour que les octets supprimés n'y restent pas. L'e-mail saisi "
        "n'est enregistré nulle part.",
        "en": "Type the person's email. The app computes its pseudonym with the shop's key "
        "and deletes every row of theirs: customer record, orders and their lines, NPS "
        "answers, tickets, rejected-row excerpts. The data file is then rewritten so the "
        "deleted bytes do not stay in it. The email typed is stored nowhere.",
    },
    "registre.erase.email": {"fr": "E-mail de la personne", "en": "The person's email"},
    "registre.erase.submit": {"fr": "Préparer l'effacement", "en": "Prepare the erasure"},
    "registre.erase.confirm": {
        "fr": "Effacer définitivement **{found}** ligne(s) de ce client (pseudonyme "
        "`{pseudonym}`) : commandes {orders}, lignes de commande {lines}, fiche client "
        "{customers}, réponses NPS {answers}, tickets {tickets}, lignes rejetées {rejected}. "
        "Cette action ne peut pas être annulée.",
        "en": "Erase for good **{found}** row(s) of this customer (pseudonym `{pseudonym}`): "
        "orders {orders}, order lines {lines}, customer record {customers}, NPS answers "
        "{answers}, tickets {tickets}, rejected rows {rejected}. This cannot be undone.",
    },
    "registre.erase.nothing": {
        "fr": "Aucune ligne de la base ne correspond à cet e-mail (pseudonyme `{pseudonym}`) : "
        "la personne n'a jamais été importée, ou a déjà été effacée. Vous pouvez tout de même "
        "lancer l'effacement : il réécrit le fichier de données.",
        "en": "No row of the store matches this email (pseudonym `{pseudonym}`): the person "
        "was never imported, or was erased before. You may still run the erasure: it "
        "rewrites the data file.",
    },
    "registre.erase.invalid": {
        "fr": "Ce n'est pas une adresse e-mail : saisissez l'e-mail de la personne tel "
        "qu'elle l'a donné (nom@domaine).",
        "en": "This is not an email address: type the person's email as they gave it "
        "(name@domain).",
    },
    "registre.erase.do": {"fr": "Effacer définitivement", "en": "Erase for good"},
    "registre.erase.cancel": {"fr": "Annuler", "en": "Cancel"},
    "registre.erase.running": {"fr": "Effacement en cours…", "en": "Erasing…"},
    "registre.erase.done": {
        "fr": "Client effacé : {total} ligne(s) supprimée(s) (commandes {orders}, lignes de "
        "commande {lines}, fiche client {customers}, réponses NPS {answers}, tickets "
        "{tickets}, lignes rejetées {rejected}). {compacted}",
        "en": "Customer erased: {total} row(s) deleted (orders {orders}, order lines {lines}, "
        "customer record {customers}, NPS answers {answers}, tickets {tickets}, rejected "
        "rows {rejected}). {compacted}",
    },
    "registre.erase.compacted": {
        "fr": "Le fichier de données a été réécrit : les octets effacés n'y sont plus.",
        "en": "The data file was rewritten: the erased bytes are no longer in it.",
    },
    "registre.erase.not_compacted": {
        "fr": "Base en mémoire : aucun fichier à réécrire.",
        "en": "In-memory store: no file to rewrite.",
    },
    "registre.erase.exports": {
        "fr": "**Copies hors de la base.** Les fichiers téléchargés depuis l'application avant "
        "cet effacement (listes de clients, CSV des graphiques, registre) et les sauvegardes "
        "du fichier de données peuvent encore contenir le pseudonyme de ce client : "
        "supprimez-les ou téléchargez-les de nouveau. Les exports d'origine (boutique, outil "
        "d'enquête, support) contiennent l'e-mail lui-même : supprimez-les s'ils ne servent "
        "plus, et effacez aussi la personne dans ces outils.",
        "en": "**Copies outside the store.** Files downloaded from the app before this "
        "erasure (customer lists, chart CSVs, the record) and backups of the data file may "
        "still hold this customer's pseudonym: delete them or download them again. The "
        "original exports (shop, survey tool, help desk) hold the email itself: delete them "
        "when no longer needed, and erase the person in those tools too.",
    },
    # -- retention ----------------------------------------------------------------------------
    "registre.retention.header": {"fr": "Durée de conservation", "en": "Retention period"},
    "registre.retention.intro": {
        "fr": "Un client sans activité (commande, réponse NPS, ticket) depuis plus de N ans "
        "est supprimé avec toutes ses lignes. La CNIL retient 3 ans après la fin de la "
        "relation commerciale pour la gestion de la clientèle.",
        "en": "A customer with no activity (order, NPS answer, ticket) for more than N years "
        "is deleted with all their rows. The CNIL's reference for customer management is 3 "
        "years after the end of the commercial relationship.",
    },
    "registre.retention.years": {"fr": "Conservation (années)", "en": "Retention (years)"},
    "registre.retention.years_help": {
        "fr": "Enregistré pour le magasin ; la purge n'a lieu que lorsque vous la lancez.",
        "en": "Saved for the shop; the purge only happens when you run it.",
    },
    "registre.retention.saved": {
        "fr": "Durée de conservation enregistrée : {years} an(s).",
        "en": "Retention saved: {years} year(s).",
    },
    "registre.retention.count": {
        "fr": "**{customers}** client(s) sans activité depuis le {cutoff} seraient supprimés, "
        "avec leurs lignes.",
        "en": "**{customers}** customer(s) with no activity since {cutoff} would be deleted, "
        "with their rows.",
    },
    "registre.retention.none": {
        "fr": "Aucun client n'est inactif depuis le {cutoff} : rien à purger.",
        "en": "No customer has been inactive since {cutoff}: nothing to purge.",
    },
    "registre.retention.purge": {"fr": "Purger maintenant", "en": "Purge now"},
    "registre.retention.confirm": {
        "fr": "Je confirme la suppression définitive de ces clients.",
        "en": "I confirm these customers are deleted for good.",
    },
    "registre.retention.done": {
        "fr": "Purge faite : {customers} client(s) supprimé(s), {orders} commande(s), "
        "{answers} réponse(s) NPS, {tickets} ticket(s).",
        "en": "Purge done: {customers} customer(s) deleted, {orders} order(s), {answers} NPS "
        "answer(s), {tickets} ticket(s).",
    },
    # -- consent ------------------------------------------------------------------------------
    "registre.consent.header": {"fr": "Consentement", "en": "Consent"},
    "registre.consent.switch": {
        "fr": "Exclure des indicateurs les clients qui ont refusé la mesure d'audience",
        "en": "Leave customers who refused analytics out of every metric",
    },
    "registre.consent.help": {
        "fr": "Les clients dont l'export clients indique un refus (consentement analytique "
        "= non) disparaissent de tous les indicateurs, graphiques et modèles. Un "
        "consentement inconnu n'est pas un refus.",
        "en": "Customers whose customers export says they refused (analytics consent = no) "
        "leave every metric, chart and model. Unknown consent is not a refusal.",
    },
    "registre.consent.count": {
        "fr": "{refused} client(s) ont refusé, {granted} ont accepté, {unknown} sans réponse "
        "connue.",
        "en": "{refused} customer(s) refused, {granted} accepted, {unknown} with no known answer.",
    },
    "registre.consent.saved_on": {
        "fr": "Les clients qui ont refusé sont désormais exclus des indicateurs.",
        "en": "Customers who refused are now left out of the metrics.",
    },
    "registre.consent.saved_off": {
        "fr": "Tous les clients comptent de nouveau dans les indicateurs.",
        "en": "Every customer counts in the metrics again.",
    },
    # -- the record (Markdown written by clv.compliance.registre) -----------------------------------------
    "registre.record.title": {
        "fr": "# Registre des activités de traitement — analyse de la valeur client",
        "en": "# Record of processing activities — customer value analysis",
    },
    "registre.record.generated": {
        "fr": "Fiche rédigée le {date} à partir du contenu de la base `{file}` "
        "(article 30 du RGPD). Les mentions *à compléter* reviennent au responsable du "
        "traitement.",
        "en": "Written on {date} from the contents of the store `{file}` (GDPR article 30). "
        "The entries marked *to fill in* are the controller's.",
    },
    "registre.record.to_fill": {"fr": "*à compléter*", "en": "*to fill in*"},
    "registre.record.controller": {
        "fr": "## Responsable du traitement\n\n- Organisme, adresse, représentant : {fill}\n"
        "- Délégué à la protection des données (le cas échéant) : {fill}",
        "en": "## Controller\n\n- Organisation, address, representative: {fill}\n"
        "- Data protection officer (if any): {fill}",
    },
    "registre.record.purposes": {
        "fr": "## Finalités\n\n- Mesurer la valeur des clients (valeur vie client prédite, "
        "segments de valeur).\n- Mesurer le coût d'acquisition par canal et sa rentabilité.\n"
        "- Suivre la rétention, l'attrition et le réachat par cohorte.\n"
        "- Suivre la satisfaction (NPS) et le support par segment.\n\n"
        "Statistiques pseudonymes pour les décisions du magasin ; aucune décision produisant "
        "des effets juridiques n'est prise automatiquement.",
        "en": "## Purposes\n\n- Measure customer value (predicted customer lifetime value, "
        "value tiers).\n- Measure acquisition cost per channel and its return.\n"
        "- Follow retention, churn and repeat purchase by cohort.\n"
        "- Follow satisfaction (NPS) and support by segment.\n\n"
        "Pseudonymous statistics for the shop's own decisions; no decision with legal "
        "effects is taken automatically.",
    },
    "registre.record.legal_basis": {
        "fr": "## Base légale\n\n{fill} (par exemple l'intérêt légitime, article 6.1.f, ou "
        "le consentement là où il a été recueilli).",
        "en": "## Legal basis\n\n{fill} (for instance legitimate interest, article 6(1)(f), "
        "or consent where it was collected).",
    },
    "registre.record.subjects": {
        "fr": "## Personnes concernées\n\nClients du magasin : {customers} personne(s) "
        "identifiée(s) par un pseudonyme ou un numéro client.",
        "en": "## Data subjects\n\nThe shop's customers: {customers} person(s) identified "
        "by a pseudonym or a customer number.",
    },
    "registre.record.categories": {
        "fr": "## Catégories de données détenues\n\n| Table | Lignes | Données |\n|---|---:|---|",
        "en": "## Categories of data held\n\n| Table | Rows | Data |\n|---|---:|---|",
    },
    "registre.record.cat.customers": {
        "fr": "identifiant pseudonyme (HMAC de l'e-mail) ; numéro client du magasin ({refs}) ; "
        "canal d'acquisition, pays, date de première visite ; consentements",
        "en": "pseudonymous id (HMAC of the email); the shop's customer number ({refs}); "
        "acquisition channel, country, first-seen date; consents",
    },
    "registre.record.cat.orders": {
        "fr": "identifiant pseudonyme du client ; date, statut, montants (brut, remise, "
        "remboursé, net, coût), devise, canal, pays",
        "en": "pseudonymous customer id; date, status, amounts (gross, discount, refunded, "
        "net, cost), currency, channel, country",
    },
    "registre.record.cat.order_lines": {
        "fr": "produits, quantités, prix",
        "en": "products, quantities, prices",
    },
    "registre.record.cat.marketing_spend": {
        "fr": "dépenses publicitaires par jour, canal et campagne (aucune donnée personnelle)",
        "en": "ad spend per day, channel and campaign (no personal data)",
    },
    "registre.record.cat.nps_responses": {
        "fr": "identifiant pseudonyme, note de 0 à 10, date de réponse (pas de commentaire libre)",
        "en": "pseudonymous id, score from 0 to 10, answer date (no free-text comment)",
    },
    "registre.record.cat.support_tickets": {
        "fr": "identifiant pseudonyme, dates d'ouverture et de résolution, statut, "
        "satisfaction (ni objet ni message)",
        "en": "pseudonymous id, opening and solving dates, status, satisfaction (no subject "
        "or message)",
    },
    "registre.record.cat.rejected_rows": {
        "fr": "extraits des lignes refusées à l'import (champs reconnus seulement, e-mails "
        "remplacés par leur pseudonyme)",
        "en": "excerpts of the lines refused at import (recognised fields only, emails "
        "replaced by their pseudonym)",
    },
    "registre.record.cat.imports": {
        "fr": "journal des imports : nom de fichier, empreinte, date, comptes de lignes",
        "en": "import log: file name, fingerprint, date, row counts",
    },
    "registre.record.not_held": {
        "fr": "**Jamais conservés :** les e-mails (remplacés à l'import par leur pseudonyme), "
        "les noms, adresses postales, téléphones et textes libres des exports. Vérifié à la "
        "rédaction de cette fiche : {cells} cellule(s) de texte de la base contiennent un "
        "« @ ».\n\nUn pseudonyme reste une donnée personnelle (considérant 26 du RGPD) : "
        "la clé permet de retrouver un client à partir de son e-mail.",
        "en": "**Never kept:** emails (replaced at import by their pseudonym), names, postal "
        "addresses, phone numbers and free text of the exports. Checked when this record "
        "was written: {cells} text cell(s) of the store contain an “@”.\n\nA pseudonym is "
        "still personal data (GDPR recital 26): the key links a customer back to their "
        "email.",
    },
    "registre.record.sources": {
        "fr": "## Origine des données\n\n{imports} import(s) de fichiers exportés par les "
        "outils du magasin ({kinds}).",
        "en": "## Where the data comes from\n\n{imports} import(s) of files exported from the "
        "shop's tools ({kinds}).",
    },
    "registre.record.no_kinds": {"fr": "aucun pour l'instant", "en": "none so far"},
    "registre.record.recipients": {
        "fr": "## Destinataires\n\nAucun : les données restent sur ce serveur et ne sont "
        "transmises à aucun tiers par l'application. Personnes habilitées au sein du "
        "magasin : {fill}\n\n## Transferts hors de l'Union européenne\n\nAucun par "
        "l'application. Lieu d'hébergement du serveur : {fill}",
        "en": "## Recipients\n\nNone: the data stays on this server and the app passes it to "
        "no third party. People allowed within the shop: {fill}\n\n## Transfers outside the "
        "European Union\n\nNone by the app. Where the server is hosted: {fill}",
    },
    "registre.record.retention": {
        "fr": "## Durée de conservation\n\n{years} an(s) après la dernière activité du client "
        "(commande, réponse, ticket), réglage du magasin. À ce jour, {due} client(s) "
        "dépassent cette durée (dernière activité avant le {cutoff}) ; la purge se lance "
        "depuis la page Registre. Les clients qui ont refusé la mesure d'audience : {consent}.",
        "en": "## Retention\n\n{years} year(s) after the customer's last activity (order, "
        "answer, ticket), the shop's setting. Today {due} customer(s) are past it (last "
        "activity before {cutoff}); the purge is run from the Registre page. Customers who "
        "refused analytics: {consent}.",
    },
    "registre.record.consent_on": {
        "fr": "exclus des indicateurs ({refused} client(s))",
        "en": "left out of the metrics ({refused} customer(s))",
    },
    "registre.record.consent_off": {
        "fr": "comptés dans les indicateurs ({refused} client(s) ; l'exclusion peut être activée)",
        "en": "counted in the metrics ({refused} customer(s); leaving them out can be turned on)",
    },
    "registre.record.security": {
        "fr": "## Mesures de sécurité en place",
        "en": "## Security measures in place",
    },
    "registre.record.sec.pseudonym": {
        "fr": "- Pseudonymisation à l'import : HMAC-SHA256 de l'e-mail avec une clé secrète "
        "conservée hors du fichier de données ({where}).",
        "en": "- Pseudonymisation at import: HMAC-SHA256 of the email with a secret key kept "
        "outside the data file ({where}).",
    },
    "registre.record.key.env": {
        "fr": "variable d'environnement CLV_PSEUDONYM_KEY",
        "en": "environment variable CLV_PSEUDONYM_KEY",
    },
    "registre.record.key.file": {
        "fr": "fichier `{name}` à côté de la base, lisible par son seul propriétaire",
        "en": "file `{name}` beside the store, readable by its owner only",
    },
    "registre.record.key.file_open": {
        "fr": "fichier `{name}` à côté de la base, **lisible par d'autres comptes de la "
        "machine** : restreignez-le (chmod 600)",
        "en": "file `{name}` beside the store, **readable by other accounts on the "
        "machine**: restrict it (chmod 600)",
    },
    "registre.record.table.rejected_rows": {"fr": "Lignes rejetées", "en": "Rejected rows"},
    "registre.record.table.imports": {"fr": "Journal des imports", "en": "Import log"},
    "registre.record.key.secrets": {
        "fr": "secrets de l'application",
        "en": "the app's secrets",
    },
    "registre.record.sec.no_email": {
        "fr": "- Aucun e-mail en clair dans la base ; noms, adresses, téléphones et textes "
        "libres écartés à l'import.",
        "en": "- No plain email in the store; names, addresses, phone numbers and free text "
        "dropped at import.",
    },
    "registre.record.sec.erasure": {
        "fr": "- Effacement par e-mail avec réécriture du fichier de données (les octets "
        "supprimés n'y restent pas).",
        "en": "- Erasure by email, with the data file rewritten (deleted bytes do not stay in it).",
    },
    "registre.record.sec.local": {
        "fr": "- Serveur à l'écoute de cette machine seulement ({address}).",
        "en": "- Server listening on this machine only ({address}).",
    },
    "registre.record.sec.network": {
        "fr": "- Serveur à l'écoute du réseau ({address}) : {login}.",
        "en": "- Server listening on the network ({address}): {login}.",
    },
    "registre.record.sec.all_interfaces": {
        "fr": "toutes les interfaces",
        "en": "every interface",
    },
    "registre.record.sec.address_unknown": {
        "fr": "- Adresse d'écoute du serveur : {fill}",
        "en": "- Address the server listens on: {fill}",
    },
    "registre.record.sec.login_on": {
        "fr": "connexion OIDC obligatoire, liste d'adresses autorisées",
        "en": "OIDC login required, allow-list of addresses",
    },
    "registre.record.sec.login_off": {
        "fr": "**aucune connexion configurée** — à protéger (pare-feu, mandataire avec "
        "authentification, ou section [auth] des secrets)",
        "en": "**no login configured** — protect it (firewall, authenticating proxy, or an "
        "[auth] section in the secrets)",
    },
    "registre.record.sec.login_only": {
        "fr": "- Connexion OIDC obligatoire, liste d'adresses autorisées.",
        "en": "- OIDC login required, allow-list of addresses.",
    },
    "registre.record.sec.upload": {
        "fr": "- Taille des fichiers importés limitée à {mb} Mo ; protection XSRF {xsrf}.",
        "en": "- Uploaded files limited to {mb} MB; XSRF protection {xsrf}.",
    },
    "registre.record.sec.on": {"fr": "active", "en": "on"},
    "registre.record.sec.off": {"fr": "désactivée", "en": "off"},
    "registre.record.sec.file": {
        "fr": "- Données dans un seul fichier local (`{file}`), jamais servi par le serveur "
        "web ; sauvegardes et chiffrement du disque : {fill}",
        "en": "- Data in one local file (`{file}`), never served by the web server; backups "
        "and disk encryption: {fill}",
    },
    "registre.record.rights": {
        "fr": "## Droits des personnes\n\nEffacement : par e-mail depuis la page Registre. "
        "Accès, rectification, opposition : {fill} (contact et délai de réponse).",
        "en": "## People's rights\n\nErasure: by email from the Registre page. Access, "
        "rectification, objection: {fill} (contact and response time).",
    },
}
