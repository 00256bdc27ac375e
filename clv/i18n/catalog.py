"""Every message of the app, in French and English.

Messages of the app are keyed by a dotted id (``"data.import"``) and may hold
``{placeholders}`` filled by :func:`translate`. They are Markdown: values from files must be
escaped (``clv.formatting.escape_markdown``) before they are passed in.

Messages of the ingest pipeline (import notes, file problems) are English strings built
with :func:`msg`: they remember their template, and :func:`render` shows them in French
from :data:`MESSAGES`. Rejected-row reasons, stored as English text, are shown in French by
:func:`render_reason` from :data:`REASONS`. Those are plain text, not Markdown.
"""

from __future__ import annotations

from clv.i18n.messages import Msg

LANGUAGES: tuple[str, ...] = ("fr", "en")

TRANSLATIONS: dict[str, dict[str, str]] = {
    # -- app and navigation
    "app.title": {"fr": "Valeur client", "en": "Customer value"},
    "page.overview": {"fr": "Vue d'ensemble", "en": "Overview"},
    "page.data": {"fr": "Données", "en": "Data"},
    # -- sidebar
    "sidebar.data": {"fr": "Données chargées", "en": "Data loaded"},
    "sidebar.no_data": {"fr": "Aucune donnée pour l'instant.", "en": "No data yet."},
    "sidebar.table_rows": {"fr": "**{table}** : {rows}", "en": "**{table}**: {rows}"},
    "sidebar.table_dates": {"fr": "du {first} au {last}", "en": "{first} to {last}"},
    "sidebar.file": {"fr": "Fichier de données : {path}", "en": "Data file: {path}"},
    # -- store tables
    "table.orders": {"fr": "Commandes", "en": "Orders"},
    "table.customers": {"fr": "Clients", "en": "Customers"},
    "table.order_lines": {"fr": "Lignes de commande", "en": "Order lines"},
    "table.marketing_spend": {"fr": "Dépenses marketing", "en": "Marketing spend"},
    "table.nps_responses": {"fr": "Réponses NPS", "en": "NPS answers"},
    "table.support_tickets": {"fr": "Tickets support", "en": "Support tickets"},
    # -- kinds of files
    "kind.orders": {"fr": "Commandes", "en": "Orders"},
    "kind.customers": {"fr": "Clients", "en": "Customers"},
    "kind.spend": {"fr": "Dépenses marketing", "en": "Marketing spend"},
    "kind.nps": {"fr": "Réponses NPS", "en": "NPS answers"},
    "kind.tickets": {"fr": "Tickets support", "en": "Support tickets"},
    "kind.demo": {"fr": "Démo (tout)", "en": "Demo (everything)"},
    # -- demo data
    "demo.loading": {
        "fr": "Premier démarrage : chargement de la boutique de démonstration…",
        "en": "First start: loading the demo shop…",
    },
    "demo.loaded": {"fr": "Boutique de démonstration chargée", "en": "Demo shop loaded"},
    "demo.title": {"fr": "Données de démonstration", "en": "Demo data"},
    "demo.present": {
        "fr": "Les chiffres affichés incluent la boutique de démonstration « Maison Lumière » "
        "(données inventées). Retirez-la quand vos propres fichiers sont importés.",
        "en": "The figures shown include the demo shop “Maison Lumière” (made-up data). "
        "Remove it once your own files are imported.",
    },
    "demo.absent": {
        "fr": "La boutique de démonstration n'est pas chargée. Vous pouvez la recharger pour "
        "explorer l'application.",
        "en": "The demo shop is not loaded. You can load it again to explore the app.",
    },
    "demo.remove": {"fr": "Retirer les données de démonstration", "en": "Remove the demo data"},
    "demo.removed": {
        "fr": "Données de démonstration retirées. Elles ne seront plus rechargées au démarrage.",
        "en": "Demo data removed. It will not be loaded again at start-up.",
    },
    "demo.reload": {"fr": "Recharger les données de démonstration", "en": "Reload demo data"},
    "cdnow.title": {"fr": "Jeu de données réel : CDNOW", "en": "Real data set: CDNOW"},
    "cdnow.explain": {
        "fr": "Les achats réels de 2 357 clients d'un disquaire en ligne américain "
        "(janvier 1997 – juin 1998, en dollars), l'échantillon qui a servi à publier les "
        "modèles BG/NBD et Gamma-Gamma. Il remplace la boutique de démonstration.",
        "en": "The real purchases of 2,357 customers of a US online music shop "
        "(January 1997 – June 1998, in dollars), the sample the BG/NBD and Gamma-Gamma "
        "models were published on. It replaces the demo shop.",
    },
    "cdnow.load": {"fr": "Charger l'échantillon CDNOW", "en": "Load the CDNOW sample"},
    "cdnow.present": {
        "fr": "L'échantillon CDNOW est chargé ; supprimez son import dans l'historique pour le retirer.",
        "en": "The CDNOW sample is loaded; delete its import in the history to remove it.",
    },
    "cdnow.loaded": {
        "fr": "Échantillon CDNOW chargé : {n} commandes.",
        "en": "CDNOW sample loaded: {n} orders.",
    },
    # -- overview page
    "overview.title": {"fr": "Vue d'ensemble", "en": "Overview"},
    "overview.purpose": {
        "fr": "Ce que vaut votre clientèle : combien de clients ont acheté, pour quel "
        "chiffre d'affaires, et le chiffre clé de chaque page à côté de son repère.",
        "en": "What your customer base is worth: how many customers bought, for how much "
        "revenue, and each page's key figure beside its benchmark.",
    },
    "overview.empty": {
        "fr": "Aucune commande pour l'instant. Importez l'export des commandes de votre "
        "boutique (Shopify, WooCommerce, PrestaShop, Stripe ou tout fichier CSV ou Excel) "
        "dans la page Données.",
        "en": "No orders yet. Import your shop's orders export (Shopify, WooCommerce, "
        "PrestaShop, Stripe, or any CSV or Excel file) on the Data page.",
    },
    "overview.go_to_data": {"fr": "Importer un fichier", "en": "Import a file"},
    "overview.period": {
        "fr": "Commandes du **{first}** au **{last}**.",
        "en": "Orders from **{first}** to **{last}**.",
    },
    "overview.customers": {"fr": "Clients", "en": "Customers"},
    "overview.customers_help": {
        "fr": "Clients distincts ayant au moins une commande comptée sur la période, parmi "
        "les canaux et segments choisis. Les commandes d'invités sans e-mail ni numéro client "
        "ne sont pas comptées.",
        "en": "Distinct customers with at least one counted order in the period, among the "
        "chosen channels and tiers. Guest orders with neither an email nor a customer number "
        "are not counted.",
    },
    "overview.orders": {"fr": "Commandes payées", "en": "Paid orders"},
    "overview.orders_help": {
        "fr": "Commandes comptées sur la période : statut payé et un client identifié (hors "
        "annulées, remboursées, en attente, tests et invités), des canaux et segments choisis.",
        "en": "Counted orders in the period: status paid and a known customer (cancelled, "
        "refunded, pending, test and guest orders left out), of the chosen channels and tiers.",
    },
    "overview.net_revenue": {"fr": "Chiffre d'affaires net", "en": "Net revenue"},
    "overview.net_revenue_help": {
        "fr": "Somme des montants nets de ces commandes : montant payé − remboursements, taxes "
        "et frais de port comme dans l'export.",
        "en": "Sum of the net amounts of these orders: amount paid − refunds, with taxes and "
        "shipping as in the export.",
    },
    "overview.reconciliation": {
        "fr": "Le fichier de données contient {rows} lignes de commande : {counted} comptées, "
        "{others}.",
        "en": "The data file holds {rows} order rows: {counted} counted, {others}.",
    },
    "overview.reconciliation.status": {"fr": "{count} {status}", "en": "{count} {status}"},
    "overview.reconciliation.guest": {
        "fr": "{count} payées par des invités sans identifiant",
        "en": "{count} paid by guests without an identifier",
    },
    "overview.reconciliation.refused": {
        "fr": "{count} de clients ayant refusé l'analyse",
        "en": "{count} of customers who refused analytics",
    },
    "overview.reconciliation.none": {"fr": "aucune autre", "en": "no other"},
    "overview.reconciliation.filtered": {
        "fr": "Les trois chiffres ci-dessus ne gardent que la période, les canaux et les "
        "segments choisis.",
        "en": "The three figures above keep only the chosen period, channels and tiers.",
    },
    "status.paid": {"fr": "payées", "en": "paid"},
    "status.pending": {"fr": "en attente", "en": "pending"},
    "status.cancelled": {"fr": "annulées", "en": "cancelled"},
    "status.refunded": {"fr": "remboursées", "en": "refunded"},
    "status.test": {"fr": "de test", "en": "test"},
    "overview.mixed_currencies": {
        "fr": "Les commandes sont en plusieurs devises ({currencies}) : le chiffre "
        "d'affaires les additionne sans conversion.",
        "en": "Orders come in several currencies ({currencies}): revenue adds them up "
        "without conversion.",
    },
    # -- data page: upload
    "data.title": {"fr": "Données", "en": "Data"},
    "data.purpose": {
        "fr": "Importez les exports de votre boutique et de vos outils, vérifiez ce que "
        "chaque import a chargé, annulez un import.",
        "en": "Import the exports of your shop and tools, check what each import loaded, "
        "undo an import.",
    },
    "data.upload.title": {"fr": "Importer un fichier", "en": "Import a file"},
    "data.upload.label": {
        "fr": "Fichier d'export (CSV, TSV, TXT, Excel ou Parquet)",
        "en": "Export file (CSV, TSV, TXT, Excel or Parquet)",
    },
    "data.upload.help": {
        "fr": "Encodage, séparateur, virgule décimale et format des dates sont détectés. "
        "Les e-mails sont pseudonymisés, les noms, adresses et téléphones ne sont pas "
        "conservés.",
        "en": "Encoding, delimiter, decimal comma and date format are detected. Emails are "
        "pseudonymised; names, addresses and phone numbers are not kept.",
    },
    "data.empty": {
        "fr": "Commencez par l'export des **commandes** de votre boutique : Shopify "
        "(Commandes → Exporter), WooCommerce, PrestaShop, paiements Stripe, ou tout fichier "
        "avec un numéro de commande, une date, un montant et l'e-mail du client. Ensuite, "
        "si vous les avez : clients, dépenses marketing (Google Ads, Meta Ads), réponses NPS "
        "(Typeform, SurveyMonkey, Qualtrics, Delighted) et tickets support (Zendesk, "
        "Gorgias, Freshdesk).",
        "en": "Start with your shop's **orders** export: Shopify (Orders → Export), "
        "WooCommerce, PrestaShop, Stripe payments, or any file with an order number, a date, "
        "an amount and the customer's email. Then, if you have them: customers, marketing "
        "spend (Google Ads, Meta Ads), NPS answers (Typeform, SurveyMonkey, Qualtrics, "
        "Delighted) and support tickets (Zendesk, Gorgias, Freshdesk).",
    },
    "data.reading": {"fr": "Lecture du fichier…", "en": "Reading the file…"},
    "data.kind": {"fr": "Type de données", "en": "Kind of data"},
    "data.kind_help": {
        "fr": "Reconnu d'après les en-têtes de colonnes ; changez-le si besoin.",
        "en": "Recognised from the column headers; change it if needed.",
    },
    "data.kind_unknown": {
        "fr": "Le type de ce fichier n'a pas été reconnu : choisissez-le, puis indiquez la "
        "correspondance des colonnes.",
        "en": "This file's kind was not recognised: choose it, then map the columns.",
    },
    "data.source": {"fr": "Source", "en": "Source"},
    "data.source_help": {
        "fr": "L'outil qui a produit l'export. « Autre format » permet d'indiquer vous-même "
        "quelle colonne contient quoi.",
        "en": "The tool that produced the export. “Other layout” lets you say which column "
        "holds what.",
    },
    "data.source.custom": {
        "fr": "Autre format (correspondance manuelle)",
        "en": "Other layout (map the columns)",
    },
    "data.source.demo": {"fr": "Démo", "en": "Demo"},
    "data.preview.title": {"fr": "Aperçu", "en": "Preview"},
    "data.preview.caption": {
        "fr": "Premières lignes sur {rows} ; les colonnes de données personnelles sont masquées.",
        "en": "First rows of {rows}; columns with personal data are masked.",
    },
    "data.mapping.title": {"fr": "Correspondance des colonnes", "en": "Column mapping"},
    "data.mapping.purpose": {
        "fr": "Pour chaque information, choisissez la colonne du fichier qui la contient. "
        "La correspondance est retenue pour les prochains fichiers aux mêmes colonnes.",
        "en": "For each piece of information, choose the file column that holds it. The "
        "mapping is remembered for the next files with the same columns.",
    },
    "data.mapping.none": {"fr": "— aucune —", "en": "— none —"},
    "data.mapping.required_note": {
        "fr": "Les informations marquées d'un astérisque (\\*) sont obligatoires.",
        "en": "Information marked with an asterisk (\\*) is required.",
    },
    "data.mapping.missing": {
        "fr": "Choisissez une colonne pour : {fields}.",
        "en": "Choose a column for: {fields}.",
    },
    "data.dates.question": {
        "fr": "Les dates comme 05/01/2023 sont :",
        "en": "Dates like 05/01/2023 are:",
    },
    "data.dates.dayfirst": {"fr": "jour/mois (5 janvier)", "en": "day/month (5 January)"},
    "data.dates.monthfirst": {"fr": "mois/jour (1er mai)", "en": "month/day (May 1)"},
    "data.dates.help": {
        "fr": "Le fichier ne permet pas de trancher pour : {columns}.",
        "en": "The file cannot tell for: {columns}.",
    },
    "data.import": {"fr": "Importer", "en": "Import"},
    "data.progress.reading": {"fr": "Lecture du fichier", "en": "Reading the file"},
    "data.progress.recognising": {
        "fr": "Reconnaissance des colonnes",
        "en": "Recognising the columns",
    },
    "data.progress.checking": {"fr": "Vérification de chaque ligne", "en": "Checking every row"},
    "data.progress.writing": {"fr": "Écriture dans la base", "en": "Writing to the store"},
    "data.progress.writing_table": {"fr": "Écriture : {table}", "en": "Writing: {table}"},
    "data.progress.done": {"fr": "Terminé", "en": "Done"},
    "data.importing": {"fr": "Import de {file}…", "en": "Importing {file}…"},
    "data.import_done": {"fr": "Import terminé", "en": "Import finished"},
    "data.import_failed": {"fr": "Import impossible", "en": "Import failed"},
    "data.store_unchanged": {
        "fr": "Rien de ce fichier n'a été enregistré : les données sont telles qu'avant.",
        "en": "Nothing from this file was stored: the data is as it was before.",
    },
    # -- data page: report
    "data.report.done": {
        "fr": "{file} importé : {kind}, source {source} (import n° {id}).",
        "en": "{file} imported: {kind}, source {source} (import no. {id}).",
    },
    "data.report.already": {
        "fr": "Ce fichier exact avait déjà été importé : rien n'est compté deux fois.",
        "en": "This exact file was imported before: nothing is counted twice.",
    },
    "data.report.read": {"fr": "Lignes lues", "en": "Rows read"},
    "data.report.read_help": {
        "fr": "Lignes de données du fichier (en-tête, titres et totaux exclus).",
        "en": "Data rows of the file (header, titles and totals left out).",
    },
    "data.report.loaded": {"fr": "Ajoutés", "en": "Added"},
    "data.report.loaded_help": {
        "fr": "Éléments nouveaux dans la base ({kind}) ; une commande répartie sur plusieurs lignes "
        "compte une fois.",
        "en": "{kind} new to the store; an order spread over several rows counts once.",
    },
    "data.report.updated": {"fr": "Mis à jour", "en": "Updated"},
    "data.report.updated_help": {
        "fr": "Éléments déjà connus ({kind}) dont une valeur a changé : la version de ce fichier "
        "remplace l'ancienne.",
        "en": "{kind} already known with a changed value: this file's version replaces the older one.",
    },
    "data.report.unchanged": {"fr": "Doublons", "en": "Duplicates"},
    "data.report.unchanged_help": {
        "fr": "Éléments déjà présents à l'identique ({kind}) : laissés tels quels.",
        "en": "{kind} already stored exactly the same: left as they were.",
    },
    "data.report.rejected": {"fr": "Lignes rejetées", "en": "Rejected rows"},
    "data.report.rejected_help": {
        "fr": "Lignes non importées (date illisible, montant manquant…) ; le détail est "
        "ci-dessous.",
        "en": "Rows not imported (unreadable date, missing amount…); details below.",
    },
    "data.report.next": {
        "fr": "Pour importer un autre fichier, déposez-le ci-dessus.",
        "en": "To import another file, drop it above.",
    },
    "data.rejected.title": {"fr": "Lignes rejetées", "en": "Rejected rows"},
    "data.rejected.line": {"fr": "Ligne", "en": "Line"},
    "data.rejected.reason": {"fr": "Motif", "en": "Reason"},
    "data.rejected.raw_line": {"fr": "Contenu de la ligne", "en": "Line content"},
    "data.rejected.download": {
        "fr": "Télécharger les lignes rejetées (CSV)",
        "en": "Download the rejected rows (CSV)",
    },
    "data.rejected.none": {
        "fr": "Aucune ligne rejetée dans les imports.",
        "en": "No rejected rows in any import.",
    },
    "data.rejected.which": {"fr": "Import", "en": "Import"},
    # -- data page: sources
    "data.sources.title": {
        "fr": "Quels exports sont reconnus ?",
        "en": "Which exports are recognised?",
    },
    "data.sources.intro": {
        "fr": "Ces exports sont reconnus d'après leurs colonnes ; tout autre fichier s'importe "
        "en indiquant la correspondance des colonnes.",
        "en": "These exports are recognised from their columns; any other file can be "
        "imported by mapping its columns.",
    },
    "data.sources.line": {"fr": "- **{kind}** : {sources}", "en": "- **{kind}**: {sources}"},
    "data.sources.cli": {
        "fr": "Fichier trop gros pour le navigateur ? En ligne de commande : "
        "`python -m clv ingest FICHIER`.",
        "en": "File too big for the browser? From the command line: `python -m clv ingest FILE`.",
    },
    # -- data page: history
    "data.history.title": {"fr": "Historique des imports", "en": "Import history"},
    "data.history.empty": {"fr": "Aucun import pour l'instant.", "en": "No imports yet."},
    "data.history.id": {"fr": "N°", "en": "No."},
    "data.history.imported_at": {"fr": "Importé le", "en": "Imported on"},
    "data.history.file": {"fr": "Fichier", "en": "File"},
    "data.history.kind": {"fr": "Type", "en": "Kind"},
    "data.history.source": {"fr": "Source", "en": "Source"},
    "data.history.notes": {"fr": "Remarques", "en": "Notes"},
    "data.history.download": {
        "fr": "Télécharger l'historique (CSV)",
        "en": "Download the history (CSV)",
    },
    "data.import_option": {
        "fr": "n° {id} — {file} ({kind}, {date})",
        "en": "no. {id} — {file} ({kind}, {date})",
    },
    "data.delete.title": {"fr": "Supprimer un import", "en": "Delete an import"},
    "data.delete.which": {"fr": "Import à supprimer", "en": "Import to delete"},
    "data.delete.explain": {
        "fr": "Retire les lignes que cet import a écrites et ses lignes rejetées. Les lignes "
        "qu'un import plus récent a remplacées restent.",
        "en": "Removes the rows this import wrote and its rejected rows. Rows that a later "
        "import replaced stay.",
    },
    "data.delete.confirm": {
        "fr": "Je confirme la suppression de cet import",
        "en": "I confirm deleting this import",
    },
    "data.delete.button": {"fr": "Supprimer cet import", "en": "Delete this import"},
    "data.delete.done": {"fr": "Import n° {id} supprimé.", "en": "Import no. {id} deleted."},
    # -- input fields of the column mapping (English = clv.ingest.types.FIELDS labels)
    "field.order_id": {"fr": "N° de commande", "en": "Order id"},
    "field.ordered_at": {"fr": "Date de commande", "en": "Order date"},
    "field.customer_email": {"fr": "E-mail du client", "en": "Customer email"},
    "field.customer_ref": {"fr": "N° client dans la boutique", "en": "Customer id in the shop"},
    "field.total_amount": {"fr": "Total de la commande", "en": "Order total"},
    "field.discount_amount": {"fr": "Remise", "en": "Discount"},
    "field.refunded_amount": {"fr": "Montant remboursé", "en": "Refunded amount"},
    "field.net_amount": {"fr": "Montant net", "en": "Net amount"},
    "field.cost_amount": {"fr": "Coût des marchandises", "en": "Cost of goods"},
    "field.currency": {"fr": "Devise", "en": "Currency"},
    "field.status": {"fr": "Statut", "en": "Status"},
    "field.cancelled_at": {"fr": "Annulée le", "en": "Cancelled at"},
    "field.payment_method": {"fr": "Moyen de paiement", "en": "Payment method"},
    "field.tags": {"fr": "Étiquettes", "en": "Tags"},
    "field.channel": {"fr": "Canal de vente ou d'acquisition", "en": "Sales or marketing channel"},
    "field.country": {"fr": "Pays", "en": "Country"},
    "field.product_id": {"fr": "Réf. produit / SKU", "en": "Product id / SKU"},
    "field.product_name": {"fr": "Nom du produit", "en": "Product name"},
    "field.quantity": {"fr": "Quantité", "en": "Quantity"},
    "field.unit_price": {"fr": "Prix unitaire", "en": "Unit price"},
    "field.line_amount": {"fr": "Montant de la ligne", "en": "Line amount"},
    "field.first_seen_at": {
        "fr": "Créé le / vu pour la première fois",
        "en": "Created / first seen",
    },
    "field.acquisition_channel": {"fr": "Canal d'acquisition", "en": "Acquisition channel"},
    "field.consent_analytics": {
        "fr": "Consentement à la mesure d'audience",
        "en": "Consents to analytics",
    },
    "field.consent_marketing": {"fr": "Accepte le marketing", "en": "Accepts marketing"},
    "field.spend_date": {"fr": "Jour", "en": "Day"},
    "field.spend.channel": {"fr": "Canal / plateforme", "en": "Channel / platform"},
    "field.campaign": {"fr": "Campagne", "en": "Campaign"},
    "field.spend_amount": {"fr": "Montant dépensé", "en": "Amount spent"},
    "field.response_id": {"fr": "N° de réponse", "en": "Response id"},
    "field.nps.customer_email": {"fr": "E-mail du répondant", "en": "Respondent email"},
    "field.answered_at": {"fr": "Date de réponse", "en": "Answered at"},
    "field.score": {"fr": "Note de 0 à 10", "en": "Score 0-10"},
    "field.ticket_id": {"fr": "N° de ticket", "en": "Ticket id"},
    "field.tickets.customer_email": {"fr": "E-mail du demandeur", "en": "Requester email"},
    "field.tickets.customer_ref": {"fr": "N° du demandeur", "en": "Requester id"},
    "field.opened_at": {"fr": "Ouvert le", "en": "Created at"},
    "field.solved_at": {"fr": "Résolu le", "en": "Solved at"},
    "field.satisfaction": {"fr": "Satisfaction", "en": "Satisfaction"},
    "fieldhelp.order_id": {
        "fr": "Les lignes qui le partagent sont les articles d'une même commande ; à défaut, "
        "chaque ligne est une commande",
        "en": "Rows sharing it are line items of one order; if absent, each row is one order",
    },
    "fieldhelp.customer_email": {
        "fr": "Pseudonymisé à l'import, jamais stocké",
        "en": "Pseudonymised on import, never stored",
    },
    "fieldhelp.customer_ref": {
        "fr": "Utilisé quand il n'y a pas d'e-mail",
        "en": "Used when there is no email",
    },
    "fieldhelp.total_amount": {
        "fr": "Montant brut payé pour la commande",
        "en": "Gross amount paid for the order",
    },
    "fieldhelp.net_amount": {
        "fr": "À défaut : total − remboursé",
        "en": "If absent: total - refunded",
    },
    "fieldhelp.cost_amount": {
        "fr": "Donne la vraie marge brute",
        "en": "Gives the real gross margin",
    },
    "fieldhelp.status": {
        "fr": "payée / annulée / remboursée / test, ou les mots de la boutique",
        "en": "paid / cancelled / refunded / test, or the shop's own words",
    },
    "fieldhelp.cancelled_at": {
        "fr": "Toute valeur marque la commande comme annulée",
        "en": "Any value marks the order cancelled",
    },
    "fieldhelp.payment_method": {
        "fr": "Une passerelle de test marque une commande de test",
        "en": "A test gateway marks a test order",
    },
    "fieldhelp.tags": {
        "fr": "Une étiquette « test » marque une commande de test",
        "en": "A 'test' tag marks a test order",
    },
    "fieldhelp.line_amount": {
        "fr": "À défaut : quantité × prix unitaire",
        "en": "If absent: quantity x unit price",
    },
    "fieldhelp.spend.channel": {
        "fr": "Rempli par le modèle de la source (Google Ads, Meta Ads) s'il manque",
        "en": "Filled by the preset (Google Ads, Meta Ads) when absent",
    },
    "fieldhelp.response_id": {
        "fr": "À défaut : calculé à partir de la ligne",
        "en": "If absent: derived from the row",
    },
    # -- CLV page
    "page.clv": {"fr": "Valeur vie client", "en": "Lifetime value"},
    "clv.title": {"fr": "Valeur vie client (CLV)", "en": "Customer lifetime value"},
    "clv.purpose": {
        "fr": "Ce que chaque client devrait rapporter en marge dans les mois qui viennent, "
        "avec quelle certitude, et qui compte le plus.",
        "en": "What each customer is expected to bring in margin over the coming months, how "
        "sure we can be, and who matters most.",
    },
    "clv.filtered": {
        "fr": "Filtres appliqués : {count} clients sur {total}. Les modèles, les seuils des "
        "segments et le panneau de confiance restent ceux de toute la clientèle ; les "
        "indicateurs, graphiques et le tableau ci-dessous portent sur les clients retenus.",
        "en": "Filters applied: {count} customers out of {total}. The models, the tier "
        "thresholds and the trust panel stay those of the whole base; the tiles, charts and "
        "table below are about the customers kept.",
    },
    "clv.filtered_none": {
        "fr": "Aucun client ne correspond aux filtres. Élargissez la période ou retirez un "
        "canal ou un segment dans la barre latérale.",
        "en": "No customer matches the filters. Widen the period or remove a channel or tier "
        "in the sidebar.",
    },
    "clv.horizon": {"fr": "Horizon", "en": "Horizon"},
    "clv.horizon_option": {"fr": "{months} mois", "en": "{months} months"},
    "clv.horizon_help": {
        "fr": "Les achats attendus sur cette période comptent dans la CLV prédite.",
        "en": "Purchases expected over this period count in the predicted CLV.",
    },
    "clv.discount": {"fr": "Taux d'actualisation annuel (%)", "en": "Annual discount rate (%)"},
    "clv.discount_help": {
        "fr": "Un euro de marge dans un an vaut 1 ÷ (1 + taux) euro aujourd'hui ; le taux "
        "mensuel équivalent est (1 + taux)^(1/12) − 1.",
        "en": "A euro of margin in a year is worth 1 ÷ (1 + rate) euro today; the equivalent "
        "monthly rate is (1 + rate)^(1/12) − 1.",
    },
    "clv.margin": {"fr": "Taux de marge brute (%)", "en": "Gross margin rate (%)"},
    "clv.margin_help": {
        "fr": "Utilisé pour les commandes dont l'export ne donne pas le coût des marchandises "
        "(le coût de l'export l'emporte). Enregistré pour la boutique.",
        "en": "Used for orders whose export gives no cost of goods (the export's cost wins). "
        "Saved for the shop.",
    },
    "clv.model": {"fr": "Modèle d'achat", "en": "Purchase model"},
    "clv.model_help": {
        "fr": "Automatique : le modèle qui prédit le mieux les achats d'une période cachée "
        "(back-test) parmi BG/NBD et MBG/NBD (et Pareto/NBD si coché ci-dessous). Vous pouvez "
        "en imposer un.",
        "en": "Automatic: the model that best predicts the purchases of a hidden period "
        "(back-test) among BG/NBD and MBG/NBD (and Pareto/NBD if ticked below). You can "
        "impose one.",
    },
    "clv.model.auto": {"fr": "Automatique", "en": "Automatic"},
    "clv.time_unit": {"fr": "Unité de temps", "en": "Time unit"},
    "clv.time_unit_help": {
        "fr": "Unité dans laquelle les modèles sont ajustés ; les prédictions restent en mois "
        "et en jours.",
        "en": "Unit in which the models are fitted; predictions stay in months and days.",
    },
    "clv.time_unit.day": {"fr": "Jour", "en": "Day"},
    "clv.time_unit.week": {"fr": "Semaine", "en": "Week"},
    "clv.time_unit.month": {"fr": "Mois", "en": "Month"},
    "clv.compare_pareto": {
        "fr": "Comparer aussi Pareto/NBD (plus lent)",
        "en": "Also compare Pareto/NBD (slower)",
    },
    "clv.compare_pareto_help": {
        "fr": "Son ajustement peut prendre une minute ou plus sur une grande base, contre une "
        "seconde pour BG/NBD et MBG/NBD.",
        "en": "Its fit can take a minute or more on a large base, against a second for BG/NBD "
        "and MBG/NBD.",
    },
    "clv.fitting": {
        "fr": "Ajustement des modèles et calcul des prédictions…",
        "en": "Fitting the models and computing the predictions…",
    },
    "clv.empty.upload": {
        "fr": "À importer : l'export des **commandes** de votre boutique, avec l'e-mail ou le "
        "numéro du client et idéalement un an d'historique ou plus ; l'export des **clients** "
        "ajoute les canaux d'acquisition.",
        "en": "What to upload: your shop's **orders** export, with the customer's email or id "
        "and ideally a year of history or more; the **customers** export adds the "
        "acquisition channels.",
    },
    "clv.go_to_data": {"fr": "Aller à la page Données", "en": "Go to the Data page"},
    "clv.detail": {"fr": "Détail : {detail}", "en": "Detail: {detail}"},
    "clv.explain.clv": {
        "fr": "La **CLV prédite** est la marge brute (chiffre d'affaires moins coût des "
        "marchandises) que chaque client devrait rapporter dans les {horizon} prochains mois, "
        "actualisée à {rate} par an pour l'exprimer en euros d'aujourd'hui.",
        "en": "**Predicted CLV** is the gross margin (revenue minus cost of goods) each "
        "customer is expected to bring over the next {horizon} months, discounted at {rate} a "
        "year into today's money.",
    },
    "clv.explain.alive_other": {
        "fr": "La probabilité d'être actif vient de **{model}** et non de BG/NBD : BG/NBD "
        "considère actif tout client qui n'a acheté qu'une fois, quelle que soit l'ancienneté "
        "de cet achat.",
        "en": "The probability of being active comes from **{model}**, not BG/NBD: BG/NBD "
        "calls every customer who bought only once active, however long ago that was.",
    },
    "clv.explain.alive_same": {
        "fr": "La probabilité d'être actif vient de **{model}**, qui, contrairement à BG/NBD, "
        "laisse un client qui n'a acheté qu'une fois devenir inactif.",
        "en": "The probability of being active comes from **{model}**, which, unlike BG/NBD, "
        "lets a customer who bought only once become inactive.",
    },
    "clv.explain.band": {
        "fr": "La **fourchette** contient la valeur totale avec 95 % de probabilité compte "
        "tenu de l'incertitude des paramètres estimés (le hasard des achats futurs eux-mêmes "
        "n'y est pas).",
        "en": "The **band** holds the total value with 95 % probability given the "
        "uncertainty of the estimated parameters (the chance in the future purchases "
        "themselves is left out).",
    },
    "clv.kpi.average": {"fr": "CLV prédite moyenne", "en": "Average predicted CLV"},
    "clv.kpi.average_help": {
        "fr": "Valeur totale prédite ÷ clients = {total} ÷ {customers}. CLV d'un client = "
        "somme sur les {horizon} prochains mois de (achats attendus du mois × montant attendu "
        "par commande × taux de marge du client) ÷ (1 + taux mensuel)^mois.",
        "en": "Total predicted value ÷ customers = {total} ÷ {customers}. A customer's CLV = "
        "sum over the next {horizon} months of (expected purchases in the month × expected "
        "value per order × the customer's margin rate) ÷ (1 + monthly rate)^month.",
    },
    "clv.kpi.total": {"fr": "Valeur prédite de la base", "en": "Predicted value of the base"},
    "clv.kpi.total_help": {
        "fr": "Somme des CLV prédites des {customers} clients. Fourchette à 95 % : {low} – "
        "{high}, tirée de l'incertitude des paramètres des modèles.",
        "en": "Sum of the predicted CLV of the {customers} customers. 95 % band: {low} – "
        "{high}, from the uncertainty of the models' parameters.",
    },
    "clv.kpi.band": {"fr": "Fourchette à 95 % : {low} – {high}", "en": "95 % band: {low} – {high}"},
    "clv.kpi.band_none": {
        "fr": "Fourchette indisponible (paramètres trop incertains).",
        "en": "No band (parameters too uncertain).",
    },
    "clv.kpi.top": {"fr": "Part détenue par les Platine", "en": "Share held by Platinum"},
    "clv.kpi.top_help": {
        "fr": "CLV prédite des {count} clients Platine ÷ valeur prédite de la base = {value} ÷ "
        "{total}.",
        "en": "Predicted CLV of the {count} Platinum customers ÷ predicted value of the base "
        "= {value} ÷ {total}.",
    },
    "clv.warnings_pointer": {
        "fr": "{count} avertissement(s) sur la fiabilité : voir « Peut-on se fier à ces "
        "chiffres ? » plus bas.",
        "en": "{count} reliability warning(s): see “How far can these figures be trusted?” below.",
    },
    "clv.basic.title": {
        "fr": "Valeur client historique : la formule classique",
        "en": "Historical CLV: the classic formula",
    },
    "clv.basic.aov": {"fr": "Panier moyen", "en": "Average order value"},
    "clv.basic.aov_help": {
        "fr": "Chiffre d'affaires net ÷ commandes payées = {revenue} ÷ {orders}.",
        "en": "Net revenue ÷ paid orders = {revenue} ÷ {orders}.",
    },
    "clv.basic.frequency": {"fr": "× Commandes par an", "en": "× Orders a year"},
    "clv.basic.frequency_help": {
        "fr": "Commandes par client et par an : {orders} commandes ÷ {customers} clients ÷ "
        "{years} ans d'historique.",
        "en": "Orders per customer a year: {orders} orders ÷ {customers} customers ÷ {years} "
        "years of history.",
    },
    "clv.basic.lifespan": {"fr": "× Durée de vie (ans)", "en": "× Lifespan (years)"},
    "clv.basic.lifespan_help": {
        "fr": "1 ÷ taux d'attrition annuel ({churn}) : la part des clients de l'avant-dernière "
        "année qui n'ont rien acheté la dernière année.",
        "en": "1 ÷ annual churn rate ({churn}): the share of the customers of the year before "
        "last who bought nothing in the last year.",
    },
    "clv.basic.margin": {"fr": "× Marge brute", "en": "× Gross margin"},
    "clv.basic.margin_help": {
        "fr": "Marge brute ÷ chiffre d'affaires net = {margin} ÷ {revenue} (coûts de l'export, "
        "sinon votre taux de marge).",
        "en": "Gross margin ÷ net revenue = {margin} ÷ {revenue} (costs from the export, else "
        "your margin rate).",
    },
    "clv.basic.clv": {"fr": "= CLV de base", "en": "= Basic CLV"},
    "clv.basic.clv_help": {
        "fr": "Panier moyen × commandes par an × durée de vie × marge brute.",
        "en": "Average order value × orders a year × lifespan × gross margin.",
    },
    "clv.basic.caption": {
        "fr": "Sur tout l'historique, sans modèle ni actualisation : une marge sur toute la vie "
        "d'un client moyen de toute la boutique (les filtres ne s'appliquent pas à cette "
        "formule). La CLV prédite, elle, suit chaque client sur {horizon} mois.",
        "en": "Over the whole history, without a model or discounting: the margin of an "
        "average customer of the whole shop (the filters do not apply to this formula). "
        "Predicted CLV follows each customer over {horizon} months.",
    },
    "clv.basic.incomplete": {
        "fr": "La durée de vie demande au moins deux ans d'historique et la marge un coût ou "
        "un taux de marge : la formule reste incomplète.",
        "en": "The lifespan needs at least two years of history and the margin a cost or a "
        "margin rate: the formula stays incomplete.",
    },
    "clv.charts.title": {"fr": "Où se trouve la valeur", "en": "Where the value lies"},
    "clv.chart.distribution.title": {
        "fr": "CLV prédite par client ({currency}, marge actualisée sur {horizon} mois)",
        "en": "Predicted CLV per customer ({currency}, discounted margin over {horizon} months)",
    },
    "clv.chart.distribution.x": {
        "fr": "CLV prédite ({currency})",
        "en": "Predicted CLV ({currency})",
    },
    "clv.chart.customers": {"fr": "Clients", "en": "Customers"},
    "clv.chart.distribution.clip_note": {
        "fr": "Les {count} clients au-delà de {value} ({share}) sont comptés dans la dernière "
        "barre.",
        "en": "The {count} customers above {value} ({share}) are counted in the last bar.",
    },
    "clv.chart.cohort.title": {
        "fr": "CLV prédite moyenne par mois de première commande ({currency})",
        "en": "Average predicted CLV by month of first order ({currency})",
    },
    "clv.chart.cohort.x": {"fr": "Mois de la première commande", "en": "Month of first order"},
    "clv.chart.average": {
        "fr": "CLV prédite moyenne ({currency})",
        "en": "Average predicted CLV ({currency})",
    },
    "clv.chart.total": {
        "fr": "CLV prédite totale ({currency})",
        "en": "Total predicted CLV ({currency})",
    },
    "clv.chart.channel.title": {
        "fr": "CLV prédite moyenne par canal d'acquisition ({currency})",
        "en": "Average predicted CLV by acquisition channel ({currency})",
    },
    "clv.chart.tiers.title": {
        "fr": "Paliers : part des clients, de la valeur prédite et du CA à ce jour (%)",
        "en": "Tiers: share of customers, of predicted value and of revenue to date (%)",
    },
    "clv.chart.tiers.x": {"fr": "Part (%)", "en": "Share (%)"},
    "clv.chart.tiers.value": {"fr": "Valeur prédite", "en": "Predicted value"},
    "clv.chart.tiers.revenue": {"fr": "CA à ce jour", "en": "Revenue to date"},
    "clv.chart.movements.title": {
        "fr": "Clients passés d'un palier à l'autre depuis le {date} (nombre de clients)",
        "en": "Customers moving between tiers since {date} (number of customers)",
    },
    "clv.chart.movements.x": {"fr": "Palier aujourd'hui", "en": "Tier now"},
    "clv.chart.movements.y": {"fr": "Palier au {date}", "en": "Tier on {date}"},
    "clv.chart.tracking.title": {
        "fr": "Achats répétés cumulés (nombre)",
        "en": "Cumulative repeat purchases (count)",
    },
    "clv.chart.tracking.y": {"fr": "Achats répétés", "en": "Repeat purchases"},
    "clv.chart.actual": {"fr": "Réel", "en": "Actual"},
    "clv.chart.predicted": {"fr": "Prédit", "en": "Predicted"},
    "clv.chart.tracking.calibration_end": {
        "fr": "Fin de la calibration",
        "en": "End of calibration",
    },
    "clv.chart.frequency.title": {
        "fr": "Période cachée : achats par client (moyenne)",
        "en": "Hidden period: purchases per customer (mean)",
    },
    "clv.chart.frequency.x": {
        "fr": "Achats répétés pendant la calibration",
        "en": "Repeat purchases in the calibration period",
    },
    "clv.chart.frequency.y": {
        "fr": "Achats par client (période cachée)",
        "en": "Purchases per customer (hidden period)",
    },
    "tier.Platinum": {"fr": "Platine", "en": "Platinum"},
    "tier.Gold": {"fr": "Or", "en": "Gold"},
    "tier.Silver": {"fr": "Argent", "en": "Silver"},
    "tier.Bronze": {"fr": "Bronze", "en": "Bronze"},
    "tier.New": {"fr": "Nouveaux", "en": "New"},
    "clv.tiers.title": {"fr": "Paliers de valeur", "en": "Value tiers"},
    "clv.tiers.thresholds": {
        "fr": "Seuils de CLV prédite : Platine dès {platinum}, Or dès {gold}, Argent dès "
        "{silver} ; Bronze en dessous.",
        "en": "Predicted CLV thresholds: Platinum from {platinum}, Gold from {gold}, Silver "
        "from {silver}; Bronze below.",
    },
    "clv.tiers.col.tier": {"fr": "Palier", "en": "Tier"},
    "clv.tiers.col.customers": {"fr": "Clients", "en": "Customers"},
    "clv.tiers.col.customer_share": {"fr": "Part des clients", "en": "Share of customers"},
    "clv.tiers.col.predicted_clv": {
        "fr": "CLV prédite ({currency})",
        "en": "Predicted CLV ({currency})",
    },
    "clv.tiers.col.clv_share": {
        "fr": "Part de la valeur prédite",
        "en": "Share of predicted value",
    },
    "clv.tiers.col.average_clv": {
        "fr": "CLV moyenne ({currency})",
        "en": "Average CLV ({currency})",
    },
    "clv.tiers.col.revenue": {
        "fr": "CA à ce jour ({currency})",
        "en": "Revenue to date ({currency})",
    },
    "clv.tiers.col.revenue_share": {"fr": "Part du CA", "en": "Share of revenue"},
    "clv.tiers.edit": {"fr": "Modifier les seuils des paliers", "en": "Edit the tier thresholds"},
    "clv.tiers.method": {"fr": "Découpage", "en": "Cut by"},
    "clv.tiers.method.quantile": {
        "fr": "Part des clients (quantiles)",
        "en": "Share of customers (quantiles)",
    },
    "clv.tiers.method.amount": {"fr": "Montant de CLV prédite", "en": "Amount of predicted CLV"},
    "clv.tiers.quantile.platinum": {
        "fr": "Platine : les premiers … % des clients",
        "en": "Platinum: the top … % of customers",
    },
    "clv.tiers.quantile.gold": {
        "fr": "Or : jusqu'aux premiers … % (Platine compris)",
        "en": "Gold: down to the top … % (Platinum included)",
    },
    "clv.tiers.quantile.silver": {
        "fr": "Argent : jusqu'aux premiers … % (Platine et Or compris)",
        "en": "Silver: down to the top … % (Platinum and Gold included)",
    },
    "clv.tiers.amount.platinum": {
        "fr": "Platine à partir de ({currency})",
        "en": "Platinum from ({currency})",
    },
    "clv.tiers.amount.gold": {"fr": "Or à partir de ({currency})", "en": "Gold from ({currency})"},
    "clv.tiers.amount.silver": {
        "fr": "Argent à partir de ({currency})",
        "en": "Silver from ({currency})",
    },
    "clv.tiers.save": {"fr": "Enregistrer les seuils", "en": "Save the thresholds"},
    "clv.tiers.saved": {
        "fr": "Seuils enregistrés pour la boutique.",
        "en": "Thresholds saved for the shop.",
    },
    "clv.tiers.invalid": {"fr": "Seuils refusés : {error}", "en": "Thresholds refused: {error}"},
    "clv.tiers.movements_caption": {
        "fr": "Les mêmes clients classés, avec les mêmes modèles, sur leur historique au {date} ; "
        "« Nouveaux » : première commande après cette date.",
        "en": "The same customers ranked, with the same models, on their history as of {date}; "
        "“New”: first order after that day.",
    },
    "clv.top.title": {"fr": "Clients les plus précieux", "en": "Most valuable customers"},
    "clv.top.caption": {
        "fr": "Les {count} clients à la CLV prédite la plus haute, sous leur identifiant "
        "pseudonyme (aucune donnée personnelle n'est stockée).",
        "en": "The {count} customers with the highest predicted CLV, under their pseudonymous "
        "id (no personal data is stored).",
    },
    "clv.col.customer_id": {"fr": "Client (pseudonyme)", "en": "Customer (pseudonym)"},
    "clv.col.acquisition_channel": {"fr": "Canal d'acquisition", "en": "Acquisition channel"},
    "clv.col.cohort": {"fr": "1re commande (mois)", "en": "First order (month)"},
    "clv.col.orders": {"fr": "Commandes", "en": "Orders"},
    "clv.col.net_revenue": {"fr": "CA net ({currency})", "en": "Net revenue ({currency})"},
    "clv.col.margin_to_date": {
        "fr": "Marge à ce jour ({currency})",
        "en": "Margin to date ({currency})",
    },
    "clv.col.predicted_clv": {"fr": "CLV prédite ({currency})", "en": "Predicted CLV ({currency})"},
    "clv.col.expected_purchases": {
        "fr": "Achats attendus {days} j",
        "en": "Expected purchases {days} d",
    },
    "clv.col.probability_alive": {"fr": "Probabilité d'être actif", "en": "Probability active"},
    "clv.col.expected_next_order_date": {
        "fr": "Prochaine commande attendue",
        "en": "Expected next order",
    },
    "clv.download": {
        "fr": "Télécharger les résultats par client (CSV)",
        "en": "Download the per-customer results (CSV)",
    },
    "clv.trust.title": {
        "fr": "Peut-on se fier à ces chiffres ?",
        "en": "How far can these figures be trusted?",
    },
    "clv.trust.models": {
        "fr": "Modèles : **{purchase}** pour le nombre d'achats, **Gamma-Gamma** pour le montant "
        "par commande, **{activity}** pour la probabilité d'être actif.",
        "en": "Models: **{purchase}** for the number of purchases, **Gamma-Gamma** for the "
        "value per order, **{activity}** for the probability of being active.",
    },
    "clv.trust.backtest": {
        "fr": "Back-test : les modèles sont ajustés sur l'historique jusqu'au {calibration_end}, "
        "puis confrontés aux achats des {weeks} semaines suivantes, cachées (jusqu'au {end}).",
        "en": "Back-test: the models are fitted on the history up to {calibration_end}, then "
        "checked against the purchases of the next {weeks} weeks, kept hidden (up to {end}).",
    },
    "clv.trust.comparison": {"fr": "Comparaison des modèles", "en": "Model comparison"},
    "clv.trust.col.label": {"fr": "Modèle", "en": "Model"},
    "clv.trust.col.used": {"fr": "Utilisé", "en": "Used"},
    "clv.trust.col.actual_total": {
        "fr": "Achats réels (période cachée)",
        "en": "Actual purchases (hidden period)",
    },
    "clv.trust.col.predicted_total": {"fr": "Achats prédits", "en": "Predicted purchases"},
    "clv.trust.col.bias_percent": {"fr": "Biais du total (%)", "en": "Bias of the total (%)"},
    "clv.trust.col.mae": {"fr": "Erreur moyenne par client", "en": "Mean error per customer"},
    "clv.trust.col.log_likelihood": {"fr": "Log-vraisemblance", "en": "Log-likelihood"},
    "clv.trust.col.penalizer_used": {"fr": "Pénalisation", "en": "Penalizer"},
    "clv.trust.col.error": {"fr": "Problème", "en": "Problem"},
    "clv.trust.mae": {
        "fr": "Erreur absolue moyenne par client",
        "en": "Mean absolute error per customer",
    },
    "clv.trust.mae_help": {
        "fr": "Moyenne sur les {customers} clients de la calibration de |achats prédits − achats "
        "réels| dans la période cachée.",
        "en": "Mean over the {customers} calibration customers of |predicted − actual "
        "purchases| in the hidden period.",
    },
    "clv.trust.bias": {"fr": "Biais du total", "en": "Bias of the total"},
    "clv.trust.bias_help": {
        "fr": "(achats prédits − achats réels) ÷ achats réels = ({predicted} − {actual}) ÷ "
        "{actual}.",
        "en": "(predicted − actual purchases) ÷ actual purchases = ({predicted} − {actual}) ÷ "
        "{actual}.",
    },
    "clv.trust.totals": {"fr": "Achats réels / prédits", "en": "Actual / predicted purchases"},
    "clv.trust.totals_help": {
        "fr": "Achats répétés des clients de la calibration pendant la période cachée.",
        "en": "Repeat purchases of the calibration customers in the hidden period.",
    },
    "clv.trust.parameters": {
        "fr": "Paramètres estimés (intervalle à 95 % = valeur ± 1,96 × erreur type)",
        "en": "Estimated parameters (95 % interval = value ± 1.96 × standard error)",
    },
    "clv.trust.col.role": {"fr": "Rôle", "en": "Role"},
    "clv.trust.col.model": {"fr": "Modèle", "en": "Model"},
    "clv.trust.col.parameter": {"fr": "Paramètre", "en": "Parameter"},
    "clv.trust.col.value": {"fr": "Valeur", "en": "Value"},
    "clv.trust.col.standard_error": {"fr": "Erreur type", "en": "Standard error"},
    "clv.trust.col.lower_95": {"fr": "Borne basse 95 %", "en": "Lower 95 %"},
    "clv.trust.col.upper_95": {"fr": "Borne haute 95 %", "en": "Upper 95 %"},
    "clv.role.purchase": {"fr": "Achats", "en": "Purchases"},
    "clv.role.spend": {"fr": "Montant par commande", "en": "Value per order"},
    "clv.role.activity": {"fr": "Activité", "en": "Activity"},
    "clv.trust.independence": {
        "fr": "Indépendance montant / fréquence (hypothèse de Gamma-Gamma) : corrélation de "
        "{value} entre le nombre d'achats répétés et le montant moyen par commande des clients "
        "récurrents ; alerte au-delà de {limit}.",
        "en": "Independence of spend and frequency (Gamma-Gamma's assumption): correlation of "
        "{value} between repeat purchases and average value per order among repeat "
        "customers; warning above {limit}.",
    },
    "clv.trust.band": {
        "fr": "Fourchette de la valeur totale à 95 % : {low} – {high} ({draws} tirages des "
        "paramètres, effet mesuré sur {sampled} clients).",
        "en": "95 % band of the total value: {low} – {high} ({draws} draws of the parameters, "
        "effect measured on {sampled} customers).",
    },
    "clv.trust.warnings": {"fr": "Avertissements", "en": "Warnings"},
    "clv.trust.no_warnings": {
        "fr": "Aucun avertissement : les ajustements ont convergé sans pénalisation.",
        "en": "No warning: the fits converged without a penalizer.",
    },
    "clv.notice.no_orders": {
        "fr": "Aucune commande pour l'instant.",
        "en": "No orders yet.",
    },
    "clv.notice.no_customers": {
        "fr": "Aucune commande payée n'est rattachée à un client connu (e-mail ou numéro client).",
        "en": "No paid order belongs to a known customer (email or customer id).",
    },
    "clv.notice.too_few_repeat": {
        "fr": "Seuls {repeat} clients sur {customers} ont acheté plus d'une fois ; les modèles "
        "en demandent au moins {needed}. Importez un historique de commandes plus long.",
        "en": "Only {repeat} of {customers} customers bought more than once; the models need "
        "at least {needed}. Import a longer order history.",
    },
    "clv.notice.purchase_fit_failed": {
        "fr": "Aucun modèle d'achat n'a pu être ajusté sur cet historique.",
        "en": "No purchase model could be fitted on this history.",
    },
    "clv.notice.spend_fit_failed": {
        "fr": "Le modèle de montant par commande (Gamma-Gamma) n'a pas pu être ajusté.",
        "en": "The value-per-order model (Gamma-Gamma) could not be fitted.",
    },
    "clv.notice.mixed_currencies": {
        "fr": "Les commandes sont en plusieurs devises ({currencies}) : les montants sont "
        "additionnés comme s'il s'agissait d'une seule.",
        "en": "Orders are in several currencies ({currencies}): amounts are added as if they "
        "were one.",
    },
    "clv.notice.few_repeat": {
        "fr": "Seuls {repeat} clients ont acheté plus d'une fois : les prédictions reposent sur "
        "peu d'éléments et leurs intervalles sont larges.",
        "en": "Only {repeat} customers bought more than once: the predictions rest on little "
        "evidence and their intervals are wide.",
    },
    "clv.notice.no_backtest": {
        "fr": "Le back-test sur {weeks} semaines cachées n'a pas pu être fait : la précision "
        "du modèle sur des achats inconnus n'est pas mesurée.",
        "en": "The back-test on {weeks} hidden weeks could not be run: the model's accuracy on "
        "unseen purchases is not measured.",
    },
    "clv.notice.fit_penalized": {
        "fr": "L'ajustement {model} n'a convergé qu'avec une pénalisation de {penalizer}, qui "
        "tire les paramètres vers zéro : ses chiffres sont à prendre avec prudence.",
        "en": "The {model} fit only converged with a penalizer of {penalizer}, which pulls the "
        "parameters towards zero: treat its figures with caution.",
    },
    "clv.notice.independence": {
        "fr": "Montant par commande et fréquence d'achat sont corrélés ({correlation}, au-delà "
        "de {limit}) : Gamma-Gamma suppose qu'ils ne le sont pas, le montant prédit des "
        "clients fréquents est donc biaisé.",
        "en": "Value per order and purchase frequency are correlated ({correlation}, above "
        "{limit}): Gamma-Gamma assumes they are not, so the predicted value of frequent "
        "buyers is biased.",
    },
    "clv.notice.no_activity_model": {
        "fr": "MBG/NBD n'a pas pu être ajusté : aucune probabilité d'être actif n'est donnée "
        "(BG/NBD considérerait actif tout client n'ayant acheté qu'une fois).",
        "en": "MBG/NBD could not be fitted, so no probability of being active is given "
        "(BG/NBD would call every one-time buyer active).",
    },
    "clv.notice.no_band": {
        "fr": "Pas de fourchette pour la valeur totale : les paramètres sont trop incertains.",
        "en": "No band for the total value: the parameters are too uncertain.",
    },
    "clv.notice.chosen_by_user": {
        "fr": "{model} est votre choix.",
        "en": "{model} is your choice.",
    },
    "clv.notice.chosen_by_user_best": {
        "fr": "{model} est votre choix ; c'est aussi le modèle à l'erreur la plus faible au "
        "back-test.",
        "en": "{model} is your choice; it also had the smallest error in the back-test.",
    },
    "clv.notice.chosen_by_user_not_best": {
        "fr": "{model} est votre choix ; {best} avait une erreur plus faible au back-test.",
        "en": "{model} is your choice; {best} had a smaller error in the back-test.",
    },
    "clv.notice.auto_no_backtest": {
        "fr": "Sans back-test, {model} est utilisé : contrairement à BG/NBD, il laisse un client "
        "qui n'a acheté qu'une fois devenir inactif.",
        "en": "Without a back-test, {model} is used: unlike BG/NBD, it lets one-time buyers "
        "become inactive.",
    },
    "clv.notice.auto_fallback": {
        "fr": "{best} avait l'erreur la plus faible au back-test mais n'a pas pu être ajusté "
        "sur tout l'historique ; {model}, le suivant, est utilisé.",
        "en": "{best} had the smallest error in the back-test but could not be fitted on the "
        "whole history; {model}, the next best, is used.",
    },
    "clv.notice.auto_best": {
        "fr": "Choisi automatiquement : {model} a l'erreur la plus faible sur les achats cachés "
        "({mae} achat par client en moyenne) parmi {compared}.",
        "en": "Chosen automatically: {model} had the smallest error on the hidden purchases "
        "({mae} purchases per customer on average) among {compared}.",
    },
}


def _merge_page_texts() -> None:
    from clv.i18n.texts import PAGE_TEXTS

    for texts in PAGE_TEXTS:
        for key, messages in texts.items():
            if key in TRANSLATIONS:
                raise RuntimeError(f"The message {key!r} is defined twice.")
            TRANSLATIONS[key] = messages


_merge_page_texts()


def translate(key: str, lang: str, **kwargs: object) -> str:
    """The message ``key`` in ``lang``, placeholders filled from ``kwargs``.

    Parameters
    ----------
    key : message id, e.g. ``"data.import"``.
    lang : ``"fr"`` or ``"en"``; any other code falls back to English.
    **kwargs : values of the ``{placeholders}`` of the message.

    Returns
    -------
    str. An unknown key comes back as the key itself, so a missing message shows up on
    screen instead of breaking the page.
    """
    messages = TRANSLATIONS.get(key)
    if messages is None:
        return key
    text = messages.get(lang) or messages["en"]
    return text.format(**kwargs) if kwargs else text


# French templates of the ingest messages, keyed by their English template. A pair is
# (singular, plural), chosen by the ``count`` value of the message (French singular for
# 0 and 1). Placeholders are those of the English template.
MESSAGES: dict[str, str | tuple[str, str]] = {
    "The CDNOW sample ships with the lifetimes package, which is not installed.": (
        "L'échantillon CDNOW est fourni avec le paquet lifetimes, qui n'est pas installé."
    ),
    # -- words used inside other messages
    "The file": "Le fichier",
    "{size} bytes": "{size} octets",
    "{megabytes:.0f} MB": "{megabytes:.0f} Mo",
    "orders": "commandes",
    "customers": "clients",
    "spend": "dépenses marketing",
    "nps": "réponses NPS",
    "tickets": "tickets support",
    "Order date": "Date de commande",
    "Customer creation date": "Date de création du client",
    "Spend date": "Date de dépense",
    "Answer date": "Date de réponse",
    "Ticket creation date": "Date de création du ticket",
    "Ticket solved date": "Date de résolution du ticket",
    "day/month (05/01 = 5 January)": "jour/mois (05/01 = 5 janvier)",
    "month/day (05/01 = May 1)": "mois/jour (05/01 = 1er mai)",
    "as you chose": "comme vous l'avez choisi",
    "because the file looks French": "car le fichier semble français",
    "because the file does not look French": "car le fichier ne semble pas français",
    "{reason} ({count} rows)": ("{reason} ({count} ligne)", "{reason} ({count} lignes)"),
    # -- reading: files refused
    "The file is empty: {name} has 0 bytes. Export it again and upload the new file.": (
        "Le fichier est vide : {name} fait 0 octet. Exportez-le à nouveau et importez le "
        "nouveau fichier."
    ),
    "The file is empty: {name} has no text. Export it again and upload the new file.": (
        "Le fichier est vide : {name} ne contient aucun texte. Exportez-le à nouveau et "
        "importez le nouveau fichier."
    ),
    "The file is empty: no sheet of {name} has any cell filled.": (
        "Le fichier est vide : aucune feuille de {name} n'a de cellule remplie."
    ),
    "The file is empty: {name} has no rows.": "Le fichier est vide : {name} n'a aucune ligne.",
    "The file has a header but no rows: {name} has columns but no data.": (
        "Le fichier a un en-tête mais aucune ligne : {name} a des colonnes mais pas de données."
    ),
    "The file has a header but no rows: {name} has no data below its column names.": (
        "Le fichier a un en-tête mais aucune ligne : {name} n'a pas de données sous les noms "
        "de colonnes."
    ),
    "{name} is {size}, over the {limit} limit for uploads. Import it from the command line "
    "instead: python -m clv ingest FILE": (
        "{name} fait {size}, au-delà de la limite de {limit} pour les imports depuis le "
        "navigateur. Importez-le plutôt en ligne de commande : python -m clv ingest FICHIER"
    ),
    "{name} is an Excel 97-2003 workbook (.xls), which this app does not read. Open it in "
    "Excel or LibreOffice and save it as .xlsx or CSV, then upload that.": (
        "{name} est un classeur Excel 97-2003 (.xls), que cette application ne lit pas. "
        "Ouvrez-le dans Excel ou LibreOffice et enregistrez-le en .xlsx ou en CSV, puis "
        "importez ce fichier."
    ),
    "{name} contains macros; save as .xlsx (Excel: File > Save As > Excel Workbook) or as "
    "CSV, then upload that.": (
        "{name} contient des macros : enregistrez-le en .xlsx (Excel : Fichier > Enregistrer "
        "sous > Classeur Excel) ou en CSV, puis importez ce fichier."
    ),
    "{name} is a binary Excel workbook (.xlsb). Save it as .xlsx or CSV, then upload that.": (
        "{name} est un classeur Excel binaire (.xlsb). Enregistrez-le en .xlsx ou en CSV, puis "
        "importez ce fichier."
    ),
    "{name} is an Apple Numbers file. In Numbers, choose File > Export To > CSV (or Excel) "
    "and upload that.": (
        "{name} est un fichier Apple Numbers. Dans Numbers, choisissez Fichier > Exporter vers "
        "> CSV (ou Excel) et importez ce fichier."
    ),
    "{name} is an OpenDocument spreadsheet (.ods). Save it as .xlsx or CSV (LibreOffice: "
    "File > Save As), then upload that.": (
        "{name} est un classeur OpenDocument (.ods). Enregistrez-le en .xlsx ou en CSV "
        "(LibreOffice : Fichier > Enregistrer sous), puis importez ce fichier."
    ),
    "{name} is an Excel 97-2003 workbook (.xls) or a password-protected workbook. Open it in "
    "Excel or LibreOffice, remove any password and save it as .xlsx or CSV, then upload "
    "that.": (
        "{name} est un classeur Excel 97-2003 (.xls) ou un classeur protégé par mot de passe. "
        "Ouvrez-le dans Excel ou LibreOffice, retirez le mot de passe s'il y en a un et "
        "enregistrez-le en .xlsx ou en CSV, puis importez ce fichier."
    ),
    "{name} is compressed (gzip). Decompress it and upload the file inside.": (
        "{name} est compressé (gzip). Décompressez-le et importez le fichier qu'il contient."
    ),
    "{name} is a zip archive, not a table. Unzip it and upload the CSV or XLSX file inside.": (
        "{name} est une archive zip, pas un tableau. Décompressez-la et importez le fichier CSV "
        "ou XLSX qu'elle contient."
    ),
    "{name} looks like an Excel file but is damaged. Open it in Excel and save it again as "
    ".xlsx, or export it as CSV.": (
        "{name} ressemble à un fichier Excel mais il est endommagé. Ouvrez-le dans Excel et "
        "enregistrez-le à nouveau en .xlsx, ou exportez-le en CSV."
    ),
    "{name} is not a text table (it looks like a binary file). Open it in the program that "
    "made it and export it as CSV or XLSX.": (
        "{name} n'est pas un tableau au format texte (il ressemble à un fichier binaire). "
        "Ouvrez-le dans le logiciel qui l'a créé et exportez-le en CSV ou XLSX."
    ),
    "{name} has a line longer than {megabytes} MB: this is not a normal table export. Check "
    "the file, or export it again as CSV.": (
        "{name} a une ligne de plus de {megabytes} Mo : ce n'est pas un export de tableau "
        "normal. Vérifiez le fichier, ou exportez-le à nouveau en CSV."
    ),
    "No delimiter found in {name}: it is not a table with columns separated by commas, "
    "semicolons, tabs or |. Export it again as CSV or XLSX.": (
        "Aucun séparateur trouvé dans {name} : ce n'est pas un tableau dont les colonnes sont "
        "séparées par des virgules, des points-virgules, des tabulations ou des |. "
        "Exportez-le à nouveau en CSV ou XLSX."
    ),
    "{name} could not be read as CSV near line {line} ({error}). Export it again as CSV or XLSX.": (
        "{name} n'a pas pu être lu comme un fichier CSV vers la ligne {line} ({error}). "
        "Exportez-le à nouveau en CSV ou XLSX."
    ),
    "{name} holds {parts} parts, more than a workbook ever needs ({limit}). Save the sheet "
    "as CSV and upload that.": (
        "{name} contient {parts} parties, plus qu'aucun classeur n'en a besoin ({limit}). "
        "Enregistrez la feuille en CSV et importez ce fichier."
    ),
    "{name} would unpack to {unpacked} from {size}: too large or too compressed to open "
    "safely. Save the sheet as CSV and upload that.": (
        "{name} occuperait {unpacked} une fois décompressé, pour {size} compressé : trop gros "
        "ou trop compressé pour être ouvert sans risque. Enregistrez la feuille en CSV et "
        "importez ce fichier."
    ),
    "{name} cannot be opened safely on this server: reading XLSX needs the defusedxml "
    "package (and OPENPYXL_DEFUSEDXML not set to False). Upload the sheet as CSV, or ask "
    "the administrator to install defusedxml.": (
        "{name} ne peut pas être ouvert sans risque sur ce serveur : la lecture des fichiers "
        "XLSX demande le paquet defusedxml (et OPENPYXL_DEFUSEDXML ne doit pas valoir False). "
        "Importez la feuille en CSV, ou demandez à l'administrateur d'installer defusedxml."
    ),
    "{name} could not be opened as an Excel workbook ({error}). Open it in Excel and save it "
    "again as .xlsx, or export it as CSV.": (
        "{name} n'a pas pu être ouvert comme classeur Excel ({error}). Ouvrez-le dans Excel et "
        "enregistrez-le à nouveau en .xlsx, ou exportez-le en CSV."
    ),
    "{name} could not be read as Parquet ({error}). Export it again, or as CSV.": (
        "{name} n'a pas pu être lu comme un fichier Parquet ({error}). Exportez-le à nouveau, "
        "ou en CSV."
    ),
    # -- reading: notes
    "The file is not UTF-8; it was read as Windows-1252 (Excel's usual encoding).": (
        "Le fichier n'est pas en UTF-8 : il a été lu en Windows-1252 (l'encodage habituel d'Excel)."
    ),
    "Columns are separated by spaces.": "Les colonnes sont séparées par des espaces.",
    "Read sheet {title!r}, the one with the most rows; not read: {others}.": (
        "Feuille {title!r} lue, celle qui a le plus de lignes ; non lues : {others}."
    ),
    "No header row: columns are named column_1..column_{width}.": (
        "Pas de ligne d'en-tête : les colonnes sont nommées column_1..column_{width}."
    ),
    "Qualtrics layout: {count} extra header row(s) (question texts, import ids) set aside.": (
        "Format Qualtrics : {count} ligne d'en-tête supplémentaire (textes des questions, "
        "identifiants d'import) mise de côté.",
        "Format Qualtrics : {count} lignes d'en-tête supplémentaires (textes des questions, "
        "identifiants d'import) mises de côté.",
    ),
    "SurveyMonkey layout: the second header row was merged into the column names.": (
        "Format SurveyMonkey : la deuxième ligne d'en-tête a été fusionnée dans les noms de "
        "colonnes."
    ),
    "Skipped {count} title line(s) above the header.": (
        "{count} ligne de titre ignorée au-dessus de l'en-tête.",
        "{count} lignes de titre ignorées au-dessus de l'en-tête.",
    ),
    "Skipped {count} title line(s) above the data.": (
        "{count} ligne de titre ignorée au-dessus des données.",
        "{count} lignes de titre ignorées au-dessus des données.",
    ),
    "Reading the file ({rows} rows)": "Lecture du fichier ({rows} lignes)",
    "Writing {table}": "Écriture de la table {table}",
    "Dropped {count} total row(s) at the end of the table.": (
        "{count} ligne de total retirée en fin de tableau.",
        "{count} lignes de total retirées en fin de tableau.",
    ),
    "Line {line} has {fields} fields, header has {width}; the extra fields are kept in "
    "column _extra.": (
        "La ligne {line} a {fields} champs, l'en-tête en a {width} : les champs en trop sont "
        "conservés dans la colonne _extra."
    ),
    "{count} more line(s) have more fields than the header.": (
        "{count} autre ligne a plus de champs que l'en-tête.",
        "{count} autres lignes ont plus de champs que l'en-tête.",
    ),
    # -- presets: notes
    "Channel taken from the UTM source in Note Attributes for {count} row.": (
        "Canal repris de la source UTM de la colonne Note Attributes pour {count} ligne."
    ),
    "Channel taken from the UTM source in Note Attributes for {count} rows.": (
        "Canal repris de la source UTM de la colonne Note Attributes pour {count} lignes."
    ),
    "Line items unpacked from the line_items column: one row per item.": (
        "Articles extraits de la colonne line_items : une ligne par article."
    ),
    "WooCommerce Analytics gives net sales only (after refunds and coupons, without shipping "
    "and taxes): order totals are net sales.": (
        "WooCommerce Analytics ne donne que les ventes nettes (après remboursements et codes "
        "promo, hors livraison et taxes) : les totaux des commandes sont ces ventes nettes."
    ),
    "This export has no customer email or id: orders are counted as guest orders. Export "
    "orders with a customer export plugin to follow customers over time.": (
        "Cet export n'a ni e-mail ni numéro client : les commandes sont comptées comme "
        "commandes d'invités. Exportez les commandes avec une extension qui inclut les "
        "clients pour suivre vos clients dans le temps."
    ),
    "Stripe dates are in UTC.": "Les dates Stripe sont en UTC.",
    "{count} payment in test mode marked as test orders.": (
        "{count} paiement en mode test marqué comme commande de test."
    ),
    "{count} payments in test mode marked as test orders.": (
        "{count} paiements en mode test marqués comme commandes de test."
    ),
    "{count} row without a payment id skipped (checkout attempts that never created a charge).": (
        "{count} ligne sans identifiant de paiement ignorée (tentative de paiement qui n'a "
        "jamais abouti à un débit)."
    ),
    "{count} rows without a payment id skipped (checkout attempts that never created a charge).": (
        "{count} lignes sans identifiant de paiement ignorées (tentatives de paiement qui "
        "n'ont jamais abouti à un débit)."
    ),
    "PrestaShop's order list has no customer email or id: orders are counted as guest "
    "orders; import the customers export too.": (
        "La liste des commandes de PrestaShop n'a ni e-mail ni numéro client : les commandes "
        "sont comptées comme commandes d'invités ; importez aussi l'export des clients."
    ),
    "The report is segmented by {period}, not by day: each period's cost is dated on its "
    "first day. Download it with the Day segment for daily spend.": (
        "Le rapport est segmenté par « {period} » et non par jour : le coût de chaque période "
        "est daté de son premier jour. Téléchargez-le segmenté par jour (Day) pour avoir les "
        "dépenses quotidiennes."
    ),
    "No Currency code column: the store's currency is assumed.": (
        "Pas de colonne de code devise (Currency code) : la devise de la boutique est retenue "
        "par défaut."
    ),
    "{count} Total row skipped.": "{count} ligne « Total » ignorée.",
    "{count} Total rows skipped.": "{count} lignes « Total » ignorées.",
    "The Amount spent header names no currency: the store's currency is assumed.": (
        "L'en-tête du montant dépensé (Amount spent) n'indique aucune devise : la devise de la "
        "boutique est retenue par défaut."
    ),
    "{count} summary row skipped.": "{count} ligne de synthèse ignorée.",
    "{count} summary rows skipped.": "{count} lignes de synthèse ignorées.",
    "Qualtrics dates are in the account's time zone, {zone}.": (
        "Les dates Qualtrics sont dans le fuseau horaire du compte, {zone}."
    ),
    "Unknown time zone {zone!r} in the Qualtrics header: dates taken as UTC.": (
        "Fuseau horaire inconnu {zone!r} dans l'en-tête Qualtrics : dates prises en UTC."
    ),
    "{count} preview, test or spam response skipped (Qualtrics Status).": (
        "{count} réponse d'aperçu, de test ou indésirable ignorée (colonne Status de Qualtrics)."
    ),
    "{count} preview, test or spam responses skipped (Qualtrics Status).": (
        "{count} réponses d'aperçu, de test ou indésirables ignorées (colonne Status de Qualtrics)."
    ),
    "{count} CSAT/CES response skipped: only NPS answers are imported.": (
        "{count} réponse CSAT/CES ignorée : seules les réponses NPS sont importées."
    ),
    "{count} CSAT/CES responses skipped: only NPS answers are imported.": (
        "{count} réponses CSAT/CES ignorées : seules les réponses NPS sont importées."
    ),
    # -- presets: problems
    "This Google Ads report has no Day column, so its cost cannot be placed on days. In "
    "Google Ads, open the report, add the segment Time > Day, and download it again.": (
        "Ce rapport Google Ads n'a pas de colonne Jour (Day) : son coût ne peut pas être "
        "réparti par jour. Dans Google Ads, ouvrez le rapport, ajoutez la segmentation par "
        "jour (Time > Day) et téléchargez-le à nouveau."
    ),
    "This Meta Ads export has no day column. In Ads Manager, choose Breakdown > By time > "
    "Day, then export the table again.": (
        "Cet export Meta Ads n'a pas de colonne de jour. Dans le Gestionnaire de publicités, "
        "choisissez la ventilation par jour (Breakdown > By time > Day), puis exportez à "
        "nouveau le tableau."
    ),
    "Each row of this Meta Ads export covers several days (Reporting starts differs from "
    "Reporting ends), so the spend cannot be placed on days. In Ads Manager, choose "
    'Breakdown > By time > Day ("By day") and export the table again.': (
        "Chaque ligne de cet export Meta Ads couvre plusieurs jours (la date de début du "
        "rapport diffère de sa date de fin) : les dépenses ne peuvent pas être réparties par "
        "jour. Dans le Gestionnaire de publicités, choisissez la ventilation par jour "
        "(Breakdown > By time > Day) et exportez à nouveau le tableau."
    ),
    "Several columns of this {vendor} export hold answers from 0 to 10 ({columns}): choose "
    "the recommendation score column in the column mapping.": (
        "Plusieurs colonnes de cet export {vendor} contiennent des réponses de 0 à 10 "
        "({columns}) : choisissez la colonne de la note de recommandation dans la "
        "correspondance des colonnes."
    ),
    "No column of this {vendor} export holds scores from 0 to 10. Export the survey with "
    "numeric answer values, or choose the score column in the column mapping.": (
        "Aucune colonne de cet export {vendor} ne contient de notes de 0 à 10. Exportez "
        "l'enquête avec les valeurs numériques des réponses, ou choisissez la colonne de la "
        "note dans la correspondance des colonnes."
    ),
    "No source preset is called {name!r}. Choose one of: {names}.": (
        "Aucune source ne s'appelle {name!r}. Choisissez parmi : {names}."
    ),
    "This file does not look like a {label}: it has no {columns} column. Choose another "
    "source, or map the columns yourself.": (
        "Ce fichier ne ressemble pas à « {label} » : il n'a pas de colonne {columns}. "
        "Choisissez une autre source, ou indiquez vous-même la correspondance des colonnes."
    ),
    "This {label} has no column for {fields}. Export the file again with that column, or "
    "map the columns yourself.": (
        "Ce fichier « {label} » n'a pas de colonne pour : {fields}. Exportez-le à nouveau "
        "avec cette colonne, ou indiquez vous-même la correspondance des colonnes."
    ),
    "Unknown kind {kind!r}: choose one of {kinds}.": (
        "Type de données {kind!r} inconnu : choisissez parmi {kinds}."
    ),
    "Unknown kind {kind!r}; choose one of {kinds}.": (
        "Type de données {kind!r} inconnu : choisissez parmi {kinds}."
    ),
    "{fields} is not a field of {kind}; the fields are: {known}.": (
        "{fields} n'est pas un champ des {kind} ; les champs sont : {known}."
    ),
    "{fields} are not a field of {kind}; the fields are: {known}.": (
        "{fields} ne sont pas des champs des {kind} ; les champs sont : {known}."
    ),
    "The file has no column {missing}. Pick one of its columns: {columns}.": (
        "Le fichier n'a pas de colonne {missing}. Choisissez une de ses colonnes : {columns}."
    ),
    "Pick the column that holds {fields}: {kind} cannot be imported without it.": (
        "Choisissez la colonne qui contient {fields} : impossible d'importer des {kind} sans elle."
    ),
    "Pick the column that holds {fields}: {kind} cannot be imported without them.": (
        "Choisissez les colonnes qui contiennent {fields} : impossible d'importer des {kind} "
        "sans elles."
    ),
    # -- normalize: notes
    "{label}: no value tells day from month (all days are 12 or less); read as {way} {why}. "
    "If that is wrong, choose the other order and import again.": (
        "{label} : aucune valeur ne permet de distinguer le jour du mois (tous les jours sont "
        "inférieurs ou égaux à 12) ; dates lues en {way} {why}. Si c'est faux, choisissez "
        "l'autre ordre et importez à nouveau le fichier."
    ),
    "{count} order(s) have a status this app does not know ({words}); they are counted as paid.": (
        "{count} commande a un statut que l'application ne connaît pas ({words}) : elle est "
        "comptée comme payée.",
        "{count} commandes ont un statut que l'application ne connaît pas ({words}) : elles "
        "sont comptées comme payées.",
    ),
    "{count} test order(s) (test gateway or 'test' tag) kept apart.": (
        "{count} commande de test (passerelle de test ou étiquette « test ») mise à part.",
        "{count} commandes de test (passerelle de test ou étiquette « test ») mises à part.",
    ),
    "The file has no order id: each row is taken as one order.": (
        "Le fichier n'a pas de numéro de commande : chaque ligne est prise comme une commande."
    ),
    "{count} order(s) have no customer email or id: kept for revenue, counted as guest orders.": (
        "{count} commande n'a ni e-mail ni numéro client : elle compte dans le chiffre "
        "d'affaires, comme commande d'invité.",
        "{count} commandes n'ont ni e-mail ni numéro client : elles comptent dans le chiffre "
        "d'affaires, comme commandes d'invités.",
    ),
    "{count} answer(s) carry no email or customer id: counted apart in NPS.": (
        "{count} réponse n'a ni e-mail ni numéro client : elle est comptée à part dans le NPS.",
        "{count} réponses n'ont ni e-mail ni numéro client : elles sont comptées à part dans "
        "le NPS.",
    ),
    # -- pipeline
    "A column mapping needs the kind of data too (orders, customers, ...).": (
        "Une correspondance de colonnes demande aussi le type de données (commandes, clients…)."
    ),
    "The source {label} gives {kind}, not {wanted}: choose a matching kind.": (
        "La source {label} fournit des {kind}, pas des {wanted} : choisissez le type de "
        "données qui correspond."
    ),
    "This file looks like {label} ({kind}), not {wanted}. Choose the kind '{kind}', or "
    "upload the {wanted} export instead.": (
        "Ce fichier ressemble à « {label} » ({kind}), pas à des {wanted}. Choisissez le type "
        "« {kind} », ou importez plutôt l'export des {wanted}."
    ),
    "This file's columns match no known export (Shopify, WooCommerce, Stripe, PrestaShop, "
    "Google Ads, Meta Ads, Typeform, SurveyMonkey, Qualtrics, Delighted, Zendesk, Gorgias, "
    "Freshdesk). Map its columns in the Data page, or pass --kind and --mapping FILE to the "
    "CLI.": (
        "Les colonnes de ce fichier ne correspondent à aucun export connu (Shopify, "
        "WooCommerce, Stripe, PrestaShop, Google Ads, Meta Ads, Typeform, SurveyMonkey, "
        "Qualtrics, Delighted, Zendesk, Gorgias, Freshdesk). Indiquez la correspondance des "
        "colonnes dans la page Données, ou passez --kind et --mapping FICHIER à la ligne de "
        "commande."
    ),
    "The file has no data rows: nothing to import.": (
        "Le fichier n'a aucune ligne de données : rien à importer."
    ),
    "No row of this file could be imported as {kind}: {top}. Check that the file is a {kind} "
    "export and that the right columns are mapped.": (
        "Aucune ligne de ce fichier n'a pu être importée comme {kind} : {top}. Vérifiez que le "
        "fichier est bien un export de {kind} et que les bonnes colonnes sont associées."
    ),
    "This exact file was imported before (import #{import_id}): nothing is counted twice.": (
        "Ce fichier exact a déjà été importé (import n° {import_id}) : rien n'est compté deux fois."
    ),
    # -- store
    "The data file {path} is in use by another program (probably the dashboard or another "
    "import). Wait for it to finish, or stop it, then try again; from the CLI, --wait "
    "SECONDS retries for a while.": (
        "Le fichier de données {path} est utilisé par un autre programme (sans doute le "
        "tableau de bord ou un autre import). Attendez qu'il ait fini, ou arrêtez-le, puis "
        "réessayez ; en ligne de commande, --wait SECONDES réessaie pendant ce temps."
    ),
    "The data file {path} was written by a newer version of this app (schema {schema}); "
    "update the app.": (
        "Le fichier de données {path} a été écrit par une version plus récente de cette "
        "application (schéma {schema}) : mettez l'application à jour."
    ),
    "There is no import number {import_id}; see the import history.": (
        "Il n'y a pas d'import n° {import_id} : consultez l'historique des imports."
    ),
    "Internal error: duplicate keys in the rows prepared for {table}.": (
        "Erreur interne : clés en double dans les lignes préparées pour {table}."
    ),
}

# French rejected-row reasons, keyed by the English reason (the text before ": value").
REASONS: dict[str, str] = {
    # orders
    "missing order id": "numéro de commande manquant",
    "missing order date": "date de commande manquante",
    "order date not understood": "date de commande illisible",
    "order total is not a number": "le total de la commande n'est pas un nombre",
    "missing order total": "total de la commande manquant",
    "negative order total (a refund belongs in the refunded-amount column)": (
        "total de la commande négatif (un remboursement va dans la colonne du montant remboursé)"
    ),
    "discount amount is not a number": "la remise n'est pas un nombre",
    "refunded amount is not a number": "le montant remboursé n'est pas un nombre",
    "net amount is not a number": "le montant net n'est pas un nombre",
    "cost amount is not a number": "le coût des marchandises n'est pas un nombre",
    "negative refunded amount": "montant remboursé négatif",
    "negative discount amount": "remise négative",
    "negative quantity": "quantité négative",
    "quantity is not a number": "la quantité n'est pas un nombre",
    "line price is not a number": "le prix de la ligne n'est pas un nombre",
    "another line of the same order was rejected": (
        "une autre ligne de la même commande a été rejetée"
    ),
    # customers
    "no email and no customer id": "ni e-mail ni numéro client",
    "creation date not understood": "date de création illisible",
    # marketing spend
    "missing date": "date manquante",
    "date not understood": "date illisible",
    "missing amount spent": "montant dépensé manquant",
    "amount spent is not a number": "le montant dépensé n'est pas un nombre",
    "negative amount spent": "montant dépensé négatif",
    "missing channel": "canal manquant",
    # NPS
    "missing answer date": "date de réponse manquante",
    "answer date not understood": "date de réponse illisible",
    "missing score": "note manquante",
    "score is not a whole number": "la note n'est pas un nombre entier",
    "score outside 0..10": "note hors de l'échelle 0 à 10",
    # tickets
    "missing ticket id": "numéro de ticket manquant",
    "missing creation date": "date de création manquante",
    "solved date not understood": "date de résolution illisible",
    "solved before it was opened": "résolu avant d'avoir été ouvert",
}


def _singular_in_french(count: object) -> bool:
    # French puts 0 and 1 in the singular ("0 commande", "1 commande").
    try:
        return abs(float(count)) < 2  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _french_template(message: Msg) -> str | None:
    singular = _singular_in_french(message.params.get("count"))
    if message.forms is not None:
        french = MESSAGES.get(message.forms[0] if singular else message.forms[1])
    else:
        french = MESSAGES.get(message.template)
        if french is None:
            french = REASONS.get(message.template)
    if isinstance(french, tuple):
        french = french[0] if singular else french[1]
    return french


def render(text: str, lang: str) -> str:
    """A message in ``lang``.

    Parameters
    ----------
    text : a :class:`Msg`, or any string (returned unchanged).
    lang : ``"fr"`` or ``"en"``; any other code gives English.

    Returns
    -------
    str. In French, the French template of the message filled with its values (values
    that are ``Msg`` rendered the same way). A message without French template keeps its
    English template, with its ``Msg`` values still rendered (a joined list of messages is
    such a language-neutral template). Plain strings and English come back as is.
    """
    if not isinstance(text, Msg):
        return str(text) if text is not None else ""
    if lang != "fr":
        return str(text)
    template = _french_template(text)
    if template is None:
        if not any(isinstance(value, Msg) for value in text.params.values()):
            return str(text)
        template = text.template
    params = {
        name: render(value, lang) if isinstance(value, Msg) else value
        for name, value in text.params.items()
    }
    return template.format(**params)


def render_reason(text: str, lang: str) -> str:
    """A rejected-row reason (``"reason"`` or ``"reason: value"``) in ``lang``.

    The part before the first ``": "`` is translated through :data:`REASONS`; the value
    after it (what the file held) is kept as is. Unknown reasons come back unchanged.
    """
    if text is None:
        return ""
    text = str(text)
    if lang != "fr":
        return text
    reason, separator, value = text.partition(": ")
    french = REASONS.get(reason)
    if french is None:
        return text
    return f"{french}{separator}{value}"
