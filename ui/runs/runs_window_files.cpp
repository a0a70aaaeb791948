// The runs view's housekeeping: a run folder renamed or moved to the trash, never one that is
// still being written, with a message naming the folder when it cannot be done.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>

#include "ui/runs/runs_model.h"
#include "ui/runs/runs_window.h"

namespace gan::ui {

bool RunsWindow::renameRun(const QString& folder, const QString& new_name) {
  const int row = model_->rowOf(folder);
  if (row < 0) return setError(tr("%1 is not listed").arg(folder));
  if (model_->run(row).status == "running") {
    return setError(tr("%1 is still being written; rename it once it has stopped").arg(folder));
  }
  if (new_name.isEmpty() || new_name.contains('/') || new_name == "." || new_name == "..") {
    return setError(tr("'%1' is not a folder name").arg(new_name));
  }
  const QString target = QFileInfo(folder).absolutePath() + "/" + new_name;
  if (QFileInfo::exists(target)) return setError(tr("%1 exists already; nothing was renamed").arg(target));
  if (!QDir().rename(folder, target)) return setError(tr("cannot rename %1 to %2").arg(folder, target));
  if (const auto i = listed_.indexOf(folder); i >= 0) listed_.replace(i, target);
  if (const auto i = compared_.indexOf(folder); i >= 0) compared_.replace(i, target);
  reload();
  return true;
}

namespace {

// QFile::moveToTrash, and only that. Qt 6.4, when it cannot establish the trash folder (a file
// where ~/.local/share/Trash should be), says "Unable to establish trash directory", moves the
// folder to ./files/ under the working directory and reports success with that relative path.
// Such a folder is put back where it was, and the move counts as failed.
bool moveToTrash(const QString& folder) {
  QString in_trash;
  if (!QFile::moveToTrash(folder, &in_trash)) return false;
  if (QFileInfo(in_trash).isAbsolute()) return true;
  QDir().rename(QFileInfo(in_trash).absoluteFilePath(), folder);
  return false;
}

}  // namespace

bool RunsWindow::trashRuns(const QStringList& folders) {
  QStringList failed;
  for (const QString& folder : folders) {
    const int row = model_->rowOf(folder);
    if (row >= 0 && model_->run(row).status == "running") {
      failed << tr("%1 (still being written)").arg(folder);
      continue;
    }
    if (!moveToTrash(folder)) {
      failed << folder;  // still there: it stays listed
      continue;
    }
    listed_.removeAll(folder);
    compared_.removeAll(folder);
  }
  reload();
  if (!failed.isEmpty()) return setError(tr("not moved to the trash: %1").arg(failed.join(", ")));
  return true;
}

void RunsWindow::askRename() {
  const QStringList folders = selectedFolders();
  if (folders.size() != 1) return;
  bool ok = false;
  const QString name = QInputDialog::getText(this, tr("Rename run"), tr("New folder name:"), QLineEdit::Normal,
                                             QFileInfo(folders.front()).fileName(), &ok);
  if (ok && !renameRun(folders.front(), name)) QMessageBox::warning(this, tr("Rename run"), error_);
}

void RunsWindow::askTrash() {
  const QStringList folders = selectedFolders();
  if (folders.isEmpty()) return;
  const auto answer = QMessageBox::question(
      this, tr("Move to trash"),
      tr("Move %n run folder(s) to the trash?\n\n%1", nullptr, static_cast<int>(folders.size())).arg(folders.join('\n')));
  if (answer == QMessageBox::Yes && !trashRuns(folders)) QMessageBox::warning(this, tr("Move to trash"), error_);
}

}  // namespace gan::ui
