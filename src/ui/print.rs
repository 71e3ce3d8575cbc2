//! Printed sheets (activation letters, pupils' login cards, the carnet's paper slips): the
//! items are grouped here, on the server, into one `section.sheet` per A4 page. The print
//! stylesheet only breaks the page after each sheet, so no item is clipped by a fixed height
//! and no blank page follows a full one, whatever the browser's margins.

use maud::{html, Markup};

/// `items` grouped by `per_sheet` (at least 1) into sheets of class `sheet {class}`.
pub fn sheets(items: &[Markup], per_sheet: usize, class: &str) -> Markup {
    let class = if class.is_empty() {
        "sheet".to_string()
    } else {
        format!("sheet {class}")
    };
    html! {
        @for chunk in items.chunks(per_sheet.max(1)) {
            section class=(class) {
                @for item in chunk { (item) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_grouped_into_sheets() {
        let items: Vec<Markup> = (0..5).map(|i| html! { p { (i) } }).collect();
        let out = sheets(&items, 2, "two").into_string();
        assert_eq!(out.matches("<section class=\"sheet two\">").count(), 3);
        assert_eq!(
            sheets(&items, 0, "")
                .into_string()
                .matches("<section")
                .count(),
            5
        );
    }
}
