<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ArtifactCharts</name>
    <message>
        <source>%1 (AUC %2)</source>
        <translation>%1 (AUC %2)</translation>
    </message>
    <message>
        <source>AUC %1</source>
        <translation>AUC %1</translation>
    </message>
    <message>
        <source>chance</source>
        <translation>Zufall</translation>
    </message>
    <message>
        <source>ROC curve</source>
        <translation>ROC-Kurve</translation>
    </message>
    <message>
        <source>False positive rate</source>
        <translation>Falsch-Positiv-Rate</translation>
    </message>
    <message>
        <source>True positive rate</source>
        <translation>Richtig-Positiv-Rate</translation>
    </message>
    <message>
        <source>AP %1</source>
        <translation>AP %1</translation>
    </message>
    <message>
        <source>Precision-recall curve</source>
        <translation>Precision-Recall-Kurve</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>Recall</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Precision</translation>
    </message>
    <message>
        <source>model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation>Kalibrierung</translation>
    </message>
    <message>
        <source>Mean predicted probability</source>
        <translation>Mittlere vorhergesagte Wahrscheinlichkeit</translation>
    </message>
    <message>
        <source>Fraction of positives</source>
        <translation>Anteil Positiver</translation>
    </message>
    <message>
        <source>perfectly calibrated</source>
        <translation>perfekt kalibriert</translation>
    </message>
    <message>
        <source>residual (actual − predicted)</source>
        <translation>Residuum (tatsächlich − vorhergesagt)</translation>
    </message>
    <message>
        <source>Residuals</source>
        <translation>Residuen</translation>
    </message>
    <message>
        <source>Test row (sample)</source>
        <translation>Testzeile (Stichprobe)</translation>
    </message>
    <message>
        <source>Residual</source>
        <translation>Residuum</translation>
    </message>
    <message>
        <source>test rows (R² %1)</source>
        <translation>Testzeilen (R² %1)</translation>
    </message>
    <message>
        <source>Predicted vs actual</source>
        <translation>Vorhergesagt gegen tatsächlich</translation>
    </message>
    <message>
        <source>Actual</source>
        <translation>Tatsächlich</translation>
    </message>
    <message>
        <source>Predicted</source>
        <translation>Vorhergesagt</translation>
    </message>
    <message>
        <source>perfect prediction</source>
        <translation>perfekte Vorhersage</translation>
    </message>
    <message>
        <source>True class</source>
        <translation>Wahre Klasse</translation>
    </message>
    <message>
        <source>Predicted class</source>
        <translation>Vorhergesagte Klasse</translation>
    </message>
    <message>
        <source>Feature importance</source>
        <translation>Merkmalswichtigkeit</translation>
    </message>
    <message>
        <source>Permutation importance</source>
        <translation>Permutationswichtigkeit</translation>
    </message>
    <message>
        <source>Mean |SHAP value|</source>
        <translation>Mittlerer |SHAP-Wert|</translation>
    </message>
    <message>
        <source>This artifact has nothing to draw.</source>
        <translation>Dieses Artefakt enthält nichts zum Zeichnen.</translation>
    </message>
</context>
<context>
    <name>baton::ui::ChartView</name>
    <message>
        <source>Drag to zoom, wheel to zoom, right click or Esc to reset</source>
        <translation>Ziehen oder Mausrad zum Zoomen, Rechtsklick oder Esc setzt zurück</translation>
    </message>
    <message>
        <source>%1
x = %2
y = %3</source>
        <translation>%1
x = %2
y = %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>baton::ui::ColumnProfileModel</name>
    <message>
        <source>%1 (target)</source>
        <translation>%1 (Ziel)</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>Spalte</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Fehlend</translation>
    </message>
    <message>
        <source>Distinct</source>
        <translation>Verschieden</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>Statistik</translation>
    </message>
    <message>
        <source>Distribution</source>
        <translation>Verteilung</translation>
    </message>
    <message>
        <source>mean %1, std %2, min %3, max %4</source>
        <translation>Mittel %1, Std. %2, Min. %3, Max. %4</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>top: %1</source>
        <translation>häufigste: %1</translation>
    </message>
    <message>
        <source>%1 … %2</source>
        <translation>%1 … %2</translation>
    </message>
</context>
<context>
    <name>baton::ui::ConfirmationPanel</name>
    <message>
        <source>&amp;Confirm</source>
        <translation>&amp;Bestätigen</translation>
    </message>
    <message>
        <source>Accept the proposal with your edits and run the next stage (Ctrl+Return)</source>
        <translation>Den Vorschlag mit Ihren Änderungen annehmen und die nächste Stufe starten (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>&amp;Edit decisions</source>
        <translation>Entscheidungen &amp;bearbeiten</translation>
    </message>
    <message>
        <source>Change target, task, metric, budget, excluded columns or model (Ctrl+E)</source>
        <translation>Ziel, Aufgabe, Metrik, Budget, ausgeschlossene Spalten oder Modell ändern (Strg+E)</translation>
    </message>
    <message>
        <source>&amp;Restart stage</source>
        <translation>Stufe &amp;neu starten</translation>
    </message>
    <message>
        <source>Apply your edits and run this stage again (Ctrl+Shift+R)</source>
        <translation>Änderungen übernehmen und diese Stufe erneut ausführen (Strg+Umschalt+R)</translation>
    </message>
    <message>
        <source>%1 is waiting for you</source>
        <translation>%1 wartet auf Sie</translation>
    </message>
    <message>
        <source>Next: %1</source>
        <translation>Weiter: %1</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>In Arbeit …</translation>
    </message>
    <message>
        <source>The stage is running; its results appear above as they arrive.</source>
        <translation>Die Stufe läuft; ihre Ergebnisse erscheinen oben, sobald sie vorliegen.</translation>
    </message>
    <message>
        <source>Nothing to confirm</source>
        <translation>Nichts zu bestätigen</translation>
    </message>
    <message>
        <source>No project open</source>
        <translation>Kein Projekt geöffnet</translation>
    </message>
</context>
<context>
    <name>baton::ui::DataPanel</name>
    <message>
        <source>No data yet: drop a CSV file, a zip or an image folder on the window, use File → Open data, or pick a demo dataset.</source>
        <translation>Noch keine Daten: Ziehen Sie eine CSV-Datei, ein Zip-Archiv oder einen Bilderordner auf das Fenster, nutzen Sie Datei → Daten öffnen oder wählen Sie einen Demo-Datensatz.</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Lese %1 …</translation>
    </message>
    <message>
        <source>Cannot show the data: %1</source>
        <translation>Die Daten können nicht angezeigt werden: %1</translation>
    </message>
    <message>
        <source>%1: %2 rows × %3 columns</source>
        <translation>%1: %2 Zeilen × %3 Spalten</translation>
    </message>
    <message>
        <source>task: %1</source>
        <translation>Aufgabe: %1</translation>
    </message>
    <message>
        <source>target: %1</source>
        <translation>Ziel: %1</translation>
    </message>
    <message>
        <source>Understood the goal as %1.</source>
        <translation>Ziel verstanden als %1.</translation>
    </message>
    <message>
        <source>Image folder: %1 images in %2 classes</source>
        <translation>Bilderordner: %1 Bilder in %2 Klassen</translation>
    </message>
</context>
<context>
    <name>baton::ui::DecisionsForm</name>
    <message>
        <source>&amp;Target column:</source>
        <translation>&amp;Zielspalte:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>Klassifikation</translation>
    </message>
    <message>
        <source>Regression</source>
        <translation>Regression</translation>
    </message>
    <message>
        <source>Tas&amp;k:</source>
        <translation>Auf&amp;gabe:</translation>
    </message>
    <message>
        <source>&amp;Metric:</source>
        <translation>&amp;Metrik:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Time &amp;budget:</source>
        <translation>Zeit&amp;budget:</translation>
    </message>
    <message>
        <source>M&amp;odel:</source>
        <translation>M&amp;odell:</translation>
    </message>
    <message>
        <source>E&amp;xclude</source>
        <translation>Aus&amp;schließen</translation>
    </message>
    <message>
        <source>&amp;Keep column</source>
        <translation>Spalte &amp;behalten</translation>
    </message>
    <message>
        <source>&amp;Excluded columns:</source>
        <translation>Ausgeschlossene &amp;Spalten:</translation>
    </message>
    <message>
        <source>Planned from the data; exclude a column or change the target to change the plan.</source>
        <translation>Aus den Daten geplant; schließen Sie eine Spalte aus oder ändern Sie das Ziel, um den Plan zu ändern.</translation>
    </message>
    <message>
        <source>Preprocessing &amp;steps:</source>
        <translation>Vorverarbeitungs&amp;schritte:</translation>
    </message>
    <message>
        <source>Automatic (recommended)</source>
        <translation>Automatisch (empfohlen)</translation>
    </message>
    <message>
        <source>%1: %2 (%3)</source>
        <translation>%1: %2 (%3)</translation>
    </message>
    <message>
        <source>excluded by you</source>
        <translation>von Ihnen ausgeschlossen</translation>
    </message>
</context>
<context>
    <name>baton::ui::EventLogView</name>
    <message numerus="yes">
        <source>… %n event(s) not shown here (see the project database)</source>
        <translation>
            <numerusform>… %n Ereignis hier nicht angezeigt (siehe Projektdatenbank)</numerusform><numerusform>… %n Ereignisse hier nicht angezeigt (siehe Projektdatenbank)</numerusform></translation>
    </message>
</context>
<context>
    <name>baton::ui::ExcludedColumnsModel</name>
    <message>
        <source>Excluded column</source>
        <translation>Ausgeschlossene Spalte</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>baton::ui::ExportDialog</name>
    <message>
        <source>Export bundle</source>
        <translation>Exportpaket</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen …</translation>
    </message>
    <message>
        <source>Save &amp;to:</source>
        <translation>Speichern &amp;unter:</translation>
    </message>
    <message>
        <source>Contents:</source>
        <translation>Inhalt:</translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation>SHA-256:</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>Ordner ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Save export bundle</source>
        <translation>Exportpaket speichern</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Zip-Archive (*.zip)</translation>
    </message>
    <message>
        <source>Choose where to save the bundle.</source>
        <translation>Wählen Sie, wo das Paket gespeichert werden soll.</translation>
    </message>
    <message>
        <source>Cannot replace %1</source>
        <translation>%1 kann nicht ersetzt werden</translation>
    </message>
    <message>
        <source>Cannot copy the bundle to %1</source>
        <translation>Das Paket kann nicht nach %1 kopiert werden</translation>
    </message>
    <message>
        <source>The copy at %1 does not match the bundle's checksum.</source>
        <translation>Die Kopie unter %1 stimmt nicht mit der Prüfsumme des Pakets überein.</translation>
    </message>
    <message>
        <source>Saved and verified: %1</source>
        <translation>Gespeichert und geprüft: %1</translation>
    </message>
</context>
<context>
    <name>baton::ui::ExportPanel</name>
    <message>
        <source>The export bundle (model, preprocessing, predict script, report, notebook) is built and verified in the last stage.</source>
        <translation>Das Exportpaket (Modell, Vorverarbeitung, Vorhersageskript, Bericht, Notebook) wird in der letzten Stufe erstellt und geprüft.</translation>
    </message>
    <message>
        <source>&amp;Save a copy…</source>
        <translation>Kopie &amp;speichern …</translation>
    </message>
    <message>
        <source>Open &amp;folder</source>
        <translation>&amp;Ordner öffnen</translation>
    </message>
    <message>
        <source>%1 % — %2</source>
        <translation>%1 % — %2</translation>
    </message>
    <message>
        <source>Bundle ready and verified: it reproduces all %1 test predictions (largest difference %2).
%3</source>
        <translation>Paket fertig und geprüft: Es reproduziert alle %1 Testvorhersagen (größte Abweichung %2).
%3</translation>
    </message>
    <message>
        <source>SHA-256: %1</source>
        <translation>SHA-256: %1</translation>
    </message>
</context>
<context>
    <name>baton::ui::HeatMapWidget</name>
    <message>
        <source>No data</source>
        <translation>Keine Daten</translation>
    </message>
    <message>
        <source>%1 / %2: %3</source>
        <translation>%1 / %2: %3</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
</context>
<context>
    <name>baton::ui::LeaderboardModel</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <source>CV score</source>
        <translation>CV-Wert</translation>
    </message>
    <message>
        <source>CV %1</source>
        <translation>CV %1</translation>
    </message>
    <message>
        <source>± std</source>
        <translation>± Std.</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
</context>
<context>
    <name>baton::ui::LiveMetricChart</name>
    <message>
        <source>training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>Boosting round</source>
        <translation>Boosting-Runde</translation>
    </message>
    <message>
        <source>Waiting for training to start</source>
        <translation>Warte auf den Trainingsbeginn</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>baton::ui::MainWindow</name>
    <message>
        <source>%1 — Baton</source>
        <translation>%1 — Baton</translation>
    </message>
    <message>
        <source>Baton</source>
        <translation>Baton</translation>
    </message>
    <message>
        <source>&amp;Projects</source>
        <translation>&amp;Projekte</translation>
    </message>
    <message>
        <source>&amp;New project…</source>
        <translation>&amp;Neues Projekt …</translation>
    </message>
    <message>
        <source>Open &amp;demo project</source>
        <translation>&amp;Demoprojekt öffnen</translation>
    </message>
    <message>
        <source>No project open</source>
        <translation>Kein Projekt geöffnet</translation>
    </message>
    <message>
        <source>What do you want to predict? e.g. “predict house prices”</source>
        <translation>Was möchten Sie vorhersagen? z. B. „predict house prices“</translation>
    </message>
    <message>
        <source>A CSV file, an image folder or a zip — or drop one on the window</source>
        <translation>Eine CSV-Datei, ein Bilderordner oder ein Zip-Archiv – oder ziehen Sie eines auf das Fenster</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen …</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>C&amp;ancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Cancel the running stage</source>
        <translation>Die laufende Stufe abbrechen</translation>
    </message>
    <message>
        <source>&amp;Goal:</source>
        <translation>&amp;Ziel:</translation>
    </message>
    <message>
        <source>D&amp;ata:</source>
        <translation>Dat&amp;en:</translation>
    </message>
    <message>
        <source>Event log</source>
        <translation>Ereignisprotokoll</translation>
    </message>
    <message>
        <source>Workspace: %1</source>
        <translation>Arbeitsbereich: %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open data…</source>
        <translation>Daten ö&amp;ffnen …</translation>
    </message>
    <message>
        <source>&amp;Demo datasets</source>
        <translation>&amp;Demo-Datensätze</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen …</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Stage &amp;%1: %2</source>
        <translation>Stufe &amp;%1: %2</translation>
    </message>
    <message>
        <source>&amp;Follow the running stage</source>
        <translation>Der laufenden Stufe &amp;folgen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Baton</source>
        <translation>&amp;Über Baton</translation>
    </message>
    <message>
        <source>About Baton</source>
        <translation>Über Baton</translation>
    </message>
    <message>
        <source>&lt;b&gt;Baton %1&lt;/b&gt;&lt;p&gt;A native AutoML workbench: describe a goal, drop in data, get a trained and verified model.&lt;/p&gt;&lt;p&gt;Qt %2 · XGBoost&lt;/p&gt;</source>
        <translation>&lt;b&gt;Baton %1&lt;/b&gt;&lt;p&gt;Eine native AutoML-Werkbank: Ziel beschreiben, Daten hineinziehen, ein trainiertes und geprüftes Modell erhalten.&lt;/p&gt;&lt;p&gt;Qt %2 · XGBoost&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Cannot open project “%1”: %2</source>
        <translation>Projekt „%1“ kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>predict house prices</source>
        <translation>predict house prices</translation>
    </message>
    <message>
        <source>Baton reads CSV files, zip archives and image folders; “%1” is none of them.</source>
        <translation>Baton liest CSV-Dateien, Zip-Archive und Bilderordner; „%1“ ist nichts davon.</translation>
    </message>
    <message>
        <source>Describe what to predict from %1 and press Start.</source>
        <translation>Beschreiben Sie, was aus %1 vorhergesagt werden soll, und klicken Sie auf Starten.</translation>
    </message>
    <message>
        <source>Demo dataset “%1”: press Start.</source>
        <translation>Demo-Datensatz „%1“: Klicken Sie auf Starten.</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1 is waiting for your confirmation</source>
        <translation>%1 wartet auf Ihre Bestätigung</translation>
    </message>
    <message>
        <source>Describe what you want to predict first, e.g. “predict house prices”.</source>
        <translation>Beschreiben Sie zuerst, was Sie vorhersagen möchten, z. B. „predict house prices“.</translation>
    </message>
    <message>
        <source>New project</source>
        <translation>Neues Projekt</translation>
    </message>
    <message>
        <source>Project name:</source>
        <translation>Projektname:</translation>
    </message>
    <message>
        <source>Open data</source>
        <translation>Daten öffnen</translation>
    </message>
    <message>
        <source>Data (*.csv *.tsv *.txt *.zip);;All files (*)</source>
        <translation>Daten (*.csv *.tsv *.txt *.zip);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Settings saved; a new workspace folder applies at the next start.</source>
        <translation>Einstellungen gespeichert; ein neuer Arbeitsordner gilt ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>No translation for “%1”; using English.</source>
        <translation>Keine Übersetzung für „%1“; Englisch wird verwendet.</translation>
    </message>
    <message>
        <source>&amp;Restart this stage</source>
        <translation>Diese Stufe &amp;neu starten</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>&amp;Umbenennen…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
    <message>
        <source>&amp;Project</source>
        <translation>&amp;Projekt</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>S&amp;chließen</translation>
    </message>
    <message>
        <source>Run the protocol &amp;server</source>
        <translation>Protokoll&amp;server ausführen</translation>
    </message>
    <message>
        <source>Serve the web UI and the REST/WebSocket API (address and port in Settings)</source>
        <translation>Stellt die Web-Oberfläche und die REST-/WebSocket-API bereit (Adresse und Port in den Einstellungen)</translation>
    </message>
    <message>
        <source>Cannot rename the project: %1</source>
        <translation>Das Projekt kann nicht umbenannt werden: %1</translation>
    </message>
    <message>
        <source>“%1” is running a stage; cancel it before deleting the project.</source>
        <translation>„%1“ führt gerade eine Stufe aus; brechen Sie sie ab, bevor Sie das Projekt löschen.</translation>
    </message>
    <message>
        <source>Cannot delete the project: %1</source>
        <translation>Das Projekt kann nicht gelöscht werden: %1</translation>
    </message>
    <message>
        <source>Moved the project to %1</source>
        <translation>Projekt nach %1 verschoben</translation>
    </message>
    <message>
        <source>Rename project</source>
        <translation>Projekt umbenennen</translation>
    </message>
    <message>
        <source>Delete project</source>
        <translation>Projekt löschen</translation>
    </message>
    <message>
        <source>Delete “%1”? Its data, models and reports move to the workspace's trash folder, where they are kept for %2 days.</source>
        <translation>„%1“ löschen? Daten, Modelle und Berichte wandern in den Papierkorb-Ordner des Arbeitsbereichs und bleiben dort %2 Tage.</translation>
    </message>
    <message>
        <source>The last project, “%1”, is no longer in the workspace.</source>
        <translation>Das zuletzt geöffnete Projekt „%1“ ist nicht mehr im Arbeitsbereich.</translation>
    </message>
    <message>
        <source>Cannot reopen the last project “%1”: %2</source>
        <translation>Das zuletzt geöffnete Projekt „%1“ lässt sich nicht wieder öffnen: %2</translation>
    </message>
</context>
<context>
    <name>baton::ui::NotebookView</name>
    <message>
        <source>Cannot read the notebook: %1</source>
        <translation>Das Notebook kann nicht gelesen werden: %1</translation>
    </message>
</context>
<context>
    <name>baton::ui::PlanPanel</name>
    <message>
        <source>The split and the preprocessing plan appear here.</source>
        <translation>Die Aufteilung und der Vorverarbeitungsplan erscheinen hier.</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>Strategie</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Spalten</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Preprocessing plan</source>
        <translation>Vorverarbeitungsplan</translation>
    </message>
    <message>
        <source>Candidate models</source>
        <translation>Kandidatenmodelle</translation>
    </message>
    <message>
        <source>Train %1 rows, test %2 rows (held out until the end)%3, seed %4.</source>
        <translation>Training %1 Zeilen, Test %2 Zeilen (bis zum Schluss zurückgehalten)%3, Seed %4.</translation>
    </message>
    <message>
        <source>, stratified by class</source>
        <translation>, nach Klasse geschichtet</translation>
    </message>
    <message>
        <source>%1 ★</source>
        <translation>%1 ★</translation>
    </message>
</context>
<context>
    <name>baton::ui::ProfilePanel</name>
    <message>
        <source>The profile appears here once the data has been profiled.</source>
        <translation>Das Profil erscheint hier, sobald die Daten profiliert sind.</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>Spalte</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <translation>&amp;Spalten</translation>
    </message>
    <message>
        <source>&amp;Warnings</source>
        <translation>&amp;Warnungen</translation>
    </message>
    <message>
        <source>&amp;Missing values</source>
        <translation>&amp;Fehlende Werte</translation>
    </message>
    <message>
        <source>&amp;Target</source>
        <translation>&amp;Ziel</translation>
    </message>
    <message>
        <source>C&amp;orrelations</source>
        <translation>K&amp;orrelationen</translation>
    </message>
    <message>
        <source>Cannot show the profile: %1</source>
        <translation>Das Profil kann nicht angezeigt werden: %1</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <source>columns</source>
        <translation>Spalten</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>missing cells</source>
        <translation>fehlende Zellen</translation>
    </message>
    <message>
        <source>duplicate rows</source>
        <translation>doppelte Zeilen</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>in memory</source>
        <translation>im Speicher</translation>
    </message>
    <message>
        <source>warnings</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <source>Missing values by column (%)</source>
        <translation>Fehlende Werte je Spalte (%)</translation>
    </message>
    <message>
        <source>No missing values</source>
        <translation>Keine fehlenden Werte</translation>
    </message>
    <message>
        <source>No target chosen yet</source>
        <translation>Noch kein Ziel gewählt</translation>
    </message>
    <message>
        <source>Distribution of %1</source>
        <translation>Verteilung von %1</translation>
    </message>
    <message>
        <source>Exclude</source>
        <translation>Ausschließen</translation>
    </message>
    <message>
        <source>Leave “%1” out of training</source>
        <translation>„%1“ nicht zum Training verwenden</translation>
    </message>
    <message>
        <source>Excluded</source>
        <translation>Ausgeschlossen</translation>
    </message>
</context>
<context>
    <name>baton::ui::ProjectListModel</name>
    <message>
        <source>%1 — modified %2</source>
        <translation>%1 — geändert %2</translation>
    </message>
</context>
<context>
    <name>baton::ui::ResultsPanel</name>
    <message>
        <source>Charts of the evaluation appear here after training.</source>
        <translation>Diagramme der Auswertung erscheinen hier nach dem Training.</translation>
    </message>
    <message>
        <source>The report appears here after the review stage.</source>
        <translation>Der Bericht erscheint hier nach der Prüfstufe.</translation>
    </message>
    <message>
        <source>The notebook appears here after the review stage.</source>
        <translation>Das Notebook erscheint hier nach der Prüfstufe.</translation>
    </message>
    <message>
        <source>C&amp;harts</source>
        <translation>&amp;Diagramme</translation>
    </message>
    <message>
        <source>Re&amp;port</source>
        <translation>&amp;Bericht</translation>
    </message>
    <message>
        <source>&amp;Notebook</source>
        <translation>&amp;Notebook</translation>
    </message>
    <message>
        <source>Cannot read the notebook %1: %2</source>
        <translation>Das Notebook %1 kann nicht gelesen werden: %2</translation>
    </message>
</context>
<context>
    <name>baton::ui::ServerController</name>
    <message>
        <source>Server: stopped</source>
        <translation>Server: gestoppt</translation>
    </message>
    <message>
        <source>Server: port %1 is in use</source>
        <translation>Server: Port %1 ist belegt</translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation>Server: %1</translation>
    </message>
    <message>
        <source>Server: listening on %1:%2 (clients need the access token)</source>
        <translation>Server: lauscht auf %1:%2 (Clients brauchen das Zugriffstoken)</translation>
    </message>
    <message>
        <source>Server: listening on %1:%2</source>
        <translation>Server: lauscht auf %1:%2</translation>
    </message>
</context>
<context>
    <name>baton::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Language model (OpenAI-compatible)</source>
        <translation>Sprachmodell (OpenAI-kompatibel)</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>&amp;Endpunkt:</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modell:</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API-&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>Kaggle (datasets by owner/name, and search)</source>
        <translation>Kaggle (Datensätze nach Besitzer/Name, und Suche)</translation>
    </message>
    <message>
        <source>Kaggle &amp;user name:</source>
        <translation>Kaggle-&amp;Benutzername:</translation>
    </message>
    <message>
        <source>Kaggle ke&amp;y:</source>
        <translation>Kaggle-Schlüsse&amp;l:</translation>
    </message>
    <message>
        <source>Default: the application data folder</source>
        <translation>Standard: der Datenordner der Anwendung</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen …</translation>
    </message>
    <message>
        <source>Automatic (leave the window a core)</source>
        <translation>Automatisch (dem Fenster einen Kern lassen)</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>&amp;Workspace folder:</source>
        <translation>&amp;Arbeitsordner:</translation>
    </message>
    <message>
        <source>Job &amp;threads:</source>
        <translation>Job-&amp;Threads:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>Workspace folder</source>
        <translation>Arbeitsordner</translation>
    </message>
    <message>
        <source>Stored — type a new one to replace it</source>
        <translation>Gespeichert – zum Ersetzen einen neuen eingeben</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>Nicht gesetzt</translation>
    </message>
    <message>
        <source>&amp;Run the protocol server (web UI, REST and WebSocket API)</source>
        <translation>Protokollserver &amp;ausführen (Web-Oberfläche, REST- und WebSocket-API)</translation>
    </message>
    <message>
        <source>127.0.0.1 (this computer only)</source>
        <translation>127.0.0.1 (nur dieser Computer)</translation>
    </message>
    <message>
        <source>0.0.0.0 (every network; clients need the token)</source>
        <translation>0.0.0.0 (alle Netzwerke; Clients brauchen das Token)</translation>
    </message>
    <message>
        <source>Any free port</source>
        <translation>Beliebiger freier Port</translation>
    </message>
    <message>
        <source>Clients send it as “Authorization: Bearer …” (WebSockets: ?token=…) when the server listens beyond this computer</source>
        <translation>Clients senden es als „Authorization: Bearer …“ (WebSockets: ?token=…), wenn der Server über diesen Computer hinaus erreichbar ist</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>New &amp;token</source>
        <translation>Neues &amp;Token</translation>
    </message>
    <message>
        <source>Replaces the token: clients holding the old one are refused</source>
        <translation>Ersetzt das Token: Clients mit dem alten werden abgewiesen</translation>
    </message>
    <message>
        <source>Protocol server</source>
        <translation>Protokollserver</translation>
    </message>
    <message>
        <source>Add&amp;ress:</source>
        <translation>Ad&amp;resse:</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>Access t&amp;oken:</source>
        <translation>Zugriffst&amp;oken:</translation>
    </message>
</context>
<context>
    <name>baton::ui::StageTimelineModel</name>
    <message>
        <source>Understand the goal</source>
        <translation>Ziel verstehen</translation>
    </message>
    <message>
        <source>Data source</source>
        <translation>Datenquelle</translation>
    </message>
    <message>
        <source>Profile data</source>
        <translation>Daten profilieren</translation>
    </message>
    <message>
        <source>Preprocess</source>
        <translation>Vorverarbeiten</translation>
    </message>
    <message>
        <source>Select models</source>
        <translation>Modelle wählen</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Trainieren</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Waiting for you</source>
        <translation>Wartet auf Sie</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Übersprungen</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1:%2 min</source>
        <translation>%1:%2 min</translation>
    </message>
    <message>
        <source>%1:%2 h</source>
        <translation>%1:%2 h</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>baton::ui::TableDataModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>baton::ui::TrainingPanel</name>
    <message>
        <source>Not started</source>
        <translation>Nicht gestartet</translation>
    </message>
    <message>
        <source>Trainer log</source>
        <translation>Trainingsprotokoll</translation>
    </message>
    <message>
        <source>S&amp;top (keep best)</source>
        <translation>S&amp;toppen (Bestes behalten)</translation>
    </message>
    <message>
        <source>Finish early and keep the best model found so far</source>
        <translation>Vorzeitig beenden und das bisher beste Modell behalten</translation>
    </message>
    <message>
        <source>Ca&amp;ncel training</source>
        <translation>Training a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Abandon this training run</source>
        <translation>Diesen Trainingslauf verwerfen</translation>
    </message>
    <message>
        <source>Stopping: finishing the ensemble from the models trained so far…</source>
        <translation>Wird gestoppt: Das Ensemble wird aus den bisher trainierten Modellen fertiggestellt …</translation>
    </message>
    <message>
        <source>Elapsed %1</source>
        <translation>Vergangen %1</translation>
    </message>
    <message>
        <source> · about %1 left</source>
        <translation> · noch etwa %1</translation>
    </message>
    <message>
        <source>Preparing the folds…</source>
        <translation>Bereite die Folds vor …</translation>
    </message>
    <message>
        <source>Best so far: %1, cross-validated %2 = %3</source>
        <translation>Bisher am besten: %1, kreuzvalidiert %2 = %3</translation>
    </message>
    <message>
        <source>CPU %1 % · RAM %2 MB</source>
        <translation>CPU %1 % · RAM %2 MB</translation>
    </message>
    <message>
        <source>[%1] %2</source>
        <translation>[%1] %2</translation>
    </message>
    <message>
        <source>▶ %1 %2</source>
        <translation>▶ %1 %2</translation>
    </message>
    <message>
        <source>■ %1: %2%3</source>
        <translation>■ %1: %2%3</translation>
    </message>
    <message>
        <source>%1 = %2</source>
        <translation>%1 = %2</translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation> (%1)</translation>
    </message>
</context>
</TS>